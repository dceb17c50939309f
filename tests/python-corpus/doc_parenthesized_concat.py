(
    "Part one, "
    # a comment between the parts
    "part two."
)
__version__ = "0.3"
