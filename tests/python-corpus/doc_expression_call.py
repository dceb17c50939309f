"Not a docstring".strip()
