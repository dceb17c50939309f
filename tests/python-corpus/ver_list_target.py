[__version__] = ["list"]
