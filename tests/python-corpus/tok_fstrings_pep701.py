"""Only valid from Python 3.12 (PEP 701)."""
x = f"{d["key"]}"
y = f"{
    1 + 2  # comment in a replacement field
}"
z = f"{"\n".join(items)}"
__version__ = "30"
