__version__ = "1\x2e0\u002e\U00000031"
