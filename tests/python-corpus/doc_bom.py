"""BOM then docstring é."""
