# leading
"""Doc."""  # trailing
x = (  # in brackets
    1,  # more
)  # after
    # indented comment
__version__ = "27"  # done
