__version__ = "1.0\N{HYPHEN-MINUS}dev"
__version__ = "2.0"
