__version__ = (...)
