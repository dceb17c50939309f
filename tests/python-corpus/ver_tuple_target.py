__version__, x = "1", "2"
