(__version__ := "walrus")
__version__ = "13"
