__version__ = 1_000
