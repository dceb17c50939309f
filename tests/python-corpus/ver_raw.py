__version__ = r"1.0\dev"
