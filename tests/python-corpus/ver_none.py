__version__ = None
