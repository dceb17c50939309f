# -*- coding: latin-1 -*-
"""Café naïve ½."""
__version__ = "1.0"
