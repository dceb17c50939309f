if x:
    __version__ = "nested"
__version__ = "8"
