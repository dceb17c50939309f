__version__ = (
    "1"
    ".2"  # comment
    ".3"
)
