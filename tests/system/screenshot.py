#!/usr/bin/env python3
"""`make screenshot`: boots Ember and saves the screen as a PNG for the
README (the same screendump the tests use); with a second file, boots
again to the shell, types a few commands over the serial console and
saves that screen too.

Usage: screenshot.py OUT.png [SHELL.png]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import EXIT_PASS, Guest, set_current_test  # noqa: E402
from session import Session  # noqa: E402

SHELL_LINES = ["cd /bin", "ls", "echo 'hello, Ember' | wc -c",
               "ls -l sh cat | grep sh", "ps", "df"]


def shell_screen(path):
    set_current_test("screenshot.shell")
    with Session() as s:
        for line in SHELL_LINES:
            s.run(line)
        s.guest.screendump().save_png(path)


def main():
    set_current_test("screenshot")
    with Guest(cmdline="hold") as g:
        g.wait_serial(r"holding for the harness", timeout=60)
        g.screendump().save_png(sys.argv[1])
        g.send_serial(b"q")
        if g.wait_exit(30) != EXIT_PASS:
            return 1
    if len(sys.argv) > 2:
        shell_screen(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
