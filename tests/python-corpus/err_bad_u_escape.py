__version__ = "\u12"
