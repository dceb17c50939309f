f = lambda a=1, *b, c=2, **d: a
g = lambda: (yield)
h: lambda x=1: x = lambda y=2: y
__version__ = "24"
