@decorator
def f():
    "Function docstring."
