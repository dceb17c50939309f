__version__: str
__version__ = "later"
