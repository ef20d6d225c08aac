"""``python -m neurokit_ai``: the ``neurokit-ai`` command."""

import sys

from .cli import main

sys.exit(main())
