if x:
    a = 1
  b = 2
__version__ = "1"
