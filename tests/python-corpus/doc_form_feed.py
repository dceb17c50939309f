"""Docstring after a form feed."""
