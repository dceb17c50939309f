__version__ = False
