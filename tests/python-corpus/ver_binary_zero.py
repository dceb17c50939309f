__version__ = 0b0_0
