"""``python -m natostruct``: the command line."""

from natostruct.cli import entrypoint

entrypoint()
