if x: __version__ = "inline"
else: __version__ = "else"
while 0: __version__ = "while"
