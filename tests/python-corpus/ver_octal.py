__version__ = 0o17
