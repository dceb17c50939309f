r"""Raw \d \n \x4 \N{X} stays."""
