"""Summary \N{EM DASH} with a named escape."""
__version__ = "1"
