"""`python -m openlfr`: the `openlfr` command where only the interpreter is on the path."""

from openlfr.cli import app

app()
