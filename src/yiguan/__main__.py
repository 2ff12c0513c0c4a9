"""`python -m yiguan` runs the command line."""

from .cli import main

main()
