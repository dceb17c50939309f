"""Doc."""
    __version__ = "1"
