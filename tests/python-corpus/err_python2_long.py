"""Python 2."""
__version__ = "1"
MAX = 0xFFFFFFFFL
