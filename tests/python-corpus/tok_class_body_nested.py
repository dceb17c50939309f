class A:
    class B:
        def f(self):
            return 1
    x = 2



__version__ = "29"
