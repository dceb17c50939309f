import os
"""Too late to be a docstring."""
