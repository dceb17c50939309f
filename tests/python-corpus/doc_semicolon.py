"Doc with semicolon"; __version__ = "2.0"
