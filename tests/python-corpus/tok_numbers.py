"""Numbers."""
n = [0, 00, 0_0, 1_000, 0xDEAD_beef, 0o7_7, 0B1, .5, 5., 5.e3, 1E+3, 1_0.0_1e-1_0, 3j, .5J, 1if 1else 2]
__version__ = "19"
