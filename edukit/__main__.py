"""`python -m edukit` — the same as the `edukit` command."""
from .cli import run

run()
