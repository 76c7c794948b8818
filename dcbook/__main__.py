"""``python -m dcbook`` runs the command line."""

import sys

from dcbook.cli import main

sys.exit(main())
