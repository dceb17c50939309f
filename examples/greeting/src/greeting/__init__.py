"""Say hello, politely, in several languages."""

__version__ = "1.2.0"

GREETINGS = {"en": "Hello", "fr": "Bonjour", "de": "Hallo", "es": "Hola"}


def greet(name: str, language: str = "en") -> str:
    """Return a greeting for *name* in *language*."""
    return f"{GREETINGS.get(language, GREETINGS['en'])}, {name}!"
