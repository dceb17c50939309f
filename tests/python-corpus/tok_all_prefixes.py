"""Every prefix."""
a = (r"" R"" u"" U"")
b = (b"" B"" br"" Br"" bR"" BR"" rb"" rB"" Rb"" RB"")
c = (f"" F"" fr"" Fr"" fR"" FR"" rf"" rF"" Rf"" RF"")
__version__ = "17"
