import os; x = 1; __version__ = "9"; y = 2
