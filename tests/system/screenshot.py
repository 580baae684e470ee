#!/usr/bin/env python3
"""`make screenshot`: boots Ember as a user would (no harness options on
its command line) and saves the screen at the first prompt as a PNG for
the README (the same screendump the tests use); with a second file, boots
again to the shell, types a few commands over the serial console and
saves that screen too.

Usage: screenshot.py OUT.png [SHELL.png]
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Guest, set_current_test  # noqa: E402
from session import PROMPT, Session  # noqa: E402

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
    g = Guest()
    g.cmdline = ""  # an ordinary boot: the banner shows no harness option
    with g:
        g.wait_serial(PROMPT, timeout=60)
        time.sleep(1)  # the painter's next frame, on a loaded host too
        g.screendump().save_png(sys.argv[1])
    if len(sys.argv) > 2:
        shell_screen(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
