#!/usr/bin/env python3
"""Train a framing classifier: ``python scripts/train.py CONFIG [section.key=value ...]``.

A thin wrapper over ``framing train`` for users who prefer scripts.
"""
import sys

from framing.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
