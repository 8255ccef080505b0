"""Makes the small duty-building helpers in compliance_helpers.py importable by these tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
