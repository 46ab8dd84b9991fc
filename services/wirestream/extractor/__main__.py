"""``python -m wirestream.extractor``: the same as ``wirestream worker extractor``."""

from __future__ import annotations

import sys

from wirestream.extractor.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
