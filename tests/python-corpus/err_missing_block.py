if x:
__version__ = "1"
