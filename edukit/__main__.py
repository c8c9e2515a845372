"""`python -m edukit` — the same as the `edukit` command."""
import sys

from .cli import main

sys.exit(main())
