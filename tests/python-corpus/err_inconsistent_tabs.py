if x:
	if y:
		pass
	else:
        pass
__version__ = "1"
