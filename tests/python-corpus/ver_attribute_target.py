x.__version__ = "attribute"
x[__version__] = "subscript"
__version__ = "12"
