__version__ = True
