"""Doc."""
x = "abc
