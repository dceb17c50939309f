__version__ = get()
__version__ += "x"
__version__ = "4"
