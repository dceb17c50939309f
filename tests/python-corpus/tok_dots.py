from ...pkg import name
from . import other
from .. mod import x
y = ...
__version__ = "25"
