"""edukit: offline lessons on children's online safety — read, present and print them."""

__version__ = "0.1.0"
