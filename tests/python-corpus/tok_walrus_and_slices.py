if (n := 10) > 5:
    pass
x = y[1:2, ::3]
z = {k: v for k, v in w.items()}
__version__ = "28"
