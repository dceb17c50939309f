"""Identifiers."""
π = 3.14
naïve = "é"
変数 = 1
__version__ = "22"
