if x:
	if y:
		pass
	else:
		pass

  __version__ = "21"
class A:
        x = 1
        if x:
                y = 2
        z = 3
