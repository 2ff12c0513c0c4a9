"""`python -m yiguan` runs the command line."""

from .cli import console

console()
