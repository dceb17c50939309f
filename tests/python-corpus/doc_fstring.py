f"f-strings are not a docstring"
__version__ = "1"
