b"bytes are not a docstring"
__version__ = "1"
