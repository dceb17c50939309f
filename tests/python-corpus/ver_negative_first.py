__version__ = -1
__version__ = "5"
