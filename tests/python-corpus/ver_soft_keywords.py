match = 1
case = 2
type = 3
match x:
    case 1:
        __version__ = "case"
    case _: __version__ = "default"
__version__ = "10"
