__version__ = b"" rb""
