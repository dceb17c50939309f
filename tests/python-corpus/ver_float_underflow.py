__version__ = 1e-400
