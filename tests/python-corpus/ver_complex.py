__version__ = 2.5J
