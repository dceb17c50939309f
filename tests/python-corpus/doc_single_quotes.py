'Single-quoted summary'
__version__ = '0.2'
