#!/usr/bin/env python3
"""Evaluate a model: ``python scripts/evaluate.py MODEL [--data PATH --format corpus|semeval2023|nyt]``.

A thin wrapper over ``framing evaluate``.
"""
import sys

from framing.cli import main

if __name__ == "__main__":
    sys.exit(main(["evaluate", *sys.argv[1:]]))
