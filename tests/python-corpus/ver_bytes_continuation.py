__version__ = b"\
"
