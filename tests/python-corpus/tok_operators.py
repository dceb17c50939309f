a @= b; c //= d; e **= f; g >>= h; i <<= j; k ^= l; m |= n; o &= p; q %= r
def s(t) -> u if False else v: pass
__version__ = "26"
