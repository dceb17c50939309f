def f():
    __version__ = "function"

class A:
    __version__ = "class"
    def g(self): __version__ = "method"

__version__ = "8.1"
