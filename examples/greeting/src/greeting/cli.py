"""The ``greet`` command."""

import sys

from . import greet


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "world"
    print(greet(name))
