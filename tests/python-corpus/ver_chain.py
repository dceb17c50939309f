VERSION = __version__ = "2.0"
