class A:
    "Class docstring, not the module's."
