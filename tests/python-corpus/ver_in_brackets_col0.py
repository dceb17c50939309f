x = [
__version__ == "fake",
]
y = {
"__version__": "dict"}
__version__ = "15"
