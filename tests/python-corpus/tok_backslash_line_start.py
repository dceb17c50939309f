"""Doc."""
if x:
  \
      y = 1
\
# comment
__version__ = "33"
