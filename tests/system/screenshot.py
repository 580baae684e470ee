#!/usr/bin/env python3
"""`make screenshot`: boots Ember and saves the screen as a PNG for the
README (the same screendump the tests use).

Usage: screenshot.py OUT.png
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import EXIT_PASS, Guest, set_current_test  # noqa: E402


def main():
    set_current_test("screenshot")
    with Guest(cmdline="hold") as g:
        g.wait_serial(r"holding for the harness", timeout=60)
        g.screendump().save_png(sys.argv[1])
        g.send_serial(b"q")
        return 0 if g.wait_exit(30) == EXIT_PASS else 1


if __name__ == "__main__":
    sys.exit(main())
