x = 1
  \
__version__ = "1"
