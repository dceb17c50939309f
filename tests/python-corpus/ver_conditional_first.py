__version__ = "a" if x else "b"
__version__ = "7"
