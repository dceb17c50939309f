__version__ = "1"
class A:
    # only a comment
