rb = 1; br = 2; f = 3; u = 4; r = 5
x = rb + br + f
__version__ = "18"
