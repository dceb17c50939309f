"""F-strings valid in 3.8+."""
x = f"{a!r:>{width}} {{braces}} {b=} {c:%Y-%m-%d} {'nested'} {d!s:{e}.{f}}"
y = F'{"other quote"}' rf"\d{g}" Rf'{h}' fR"{i}" FR'' f"""
{j}
"""
__version__ = "16"
