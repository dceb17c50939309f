x = f"{f"{f"{1}"}"}"
__version__ = "31"
