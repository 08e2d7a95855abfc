"""`python -m lab_app` does what `bert-lab` does."""

from __future__ import annotations

import sys

from lab_app.launch import main

sys.exit(main())
