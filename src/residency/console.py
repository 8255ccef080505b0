"""The two consoles every command prints through. soft_wrap keeps each message on one line
when output goes to a file or a pipe, so scripts and logs can grep it."""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
