__version__ = f"1"
__version__ = "6"
