"""`python -m yiguan` runs the command line."""

from yiguan.cli import main

main()
