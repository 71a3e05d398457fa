"""``python -m geo``: see ``geo.cli``."""
import sys

from geo.cli import main

sys.exit(main())
