"""Decorators."""
@decorator
@other.attr(arg=1)
async def f():
    async with a as b:
        pass
    async for x in y:
        pass

@(lambda f: f)
class C:
    pass
__version__ = "23"
