"""
    Summary after a newline.

    Body line one.
      Indented more.
    Body line three.
    """

import os
