"""Continuation \
lines."""
x = 1 + \
    2 + \
3
if x and \
   y:
    pass
__version__ = \
"20"
