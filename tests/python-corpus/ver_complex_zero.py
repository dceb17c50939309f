__version__ = 0j
