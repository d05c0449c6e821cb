"""Lets `python -m tui.cli` run the command line."""

from tui.cli import main

raise SystemExit(main())
