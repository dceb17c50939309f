# Nothing but comments.
# __version__ = "0"
