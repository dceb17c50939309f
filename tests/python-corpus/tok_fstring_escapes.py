x = f"\x41{y:\N{EM DASH}^10}\u00e9\N{BULLET}" rf"\N\x"
__version__ = "34"
