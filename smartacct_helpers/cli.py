"""Where the command line was: console scripts installed from an earlier checkout still call ``smartacct_helpers.cli:main``.

The command line is :mod:`smartacct_helpers.delivery.cli`; ``pyproject.toml``
points the ``smartacct`` script there, and an environment installed again
(``make venv``) calls it directly.
"""

from .delivery.cli import main

__all__ = ["main"]
