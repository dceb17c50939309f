"""Summary line.

More text.
"""
__version__ = "1.0"
