#!/usr/bin/env python3
"""`make bench`: boots Ember with the `bench` option and prints each figure.

The kernel's KBENCH functions (tests/kernel/bench_*.c) measure with the TSC
in the guest and print `bench: name: value unit`; this prints `name: value
unit`, one figure a line. Figures are for reading and comparing within one
run (these machines are noisy), never asserted.

See: tests/kernel/README.md
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (EXIT_PASS, EXIT_POWEROFF, Guest,  # noqa: E402
                     set_current_test)


def main():
    set_current_test("bench")
    with Guest(cmdline="bench=all") as g:
        status = g.wait_exit(600)
        text = g.serial
    # User-mode figures: the benchmark program as init's command.
    with Guest(cmdline="init=/bin/init,-C,/scratch,/tests/bench_user") as g:
        ustatus = g.wait_exit(600)
        text += g.serial
    if ustatus != EXIT_POWEROFF:
        print(f"bench: user-mode run ended with {ustatus}", file=sys.stderr)
    m = re.search(r"kernel entry to banner in (\d+) ms", text)
    if m:
        print(f"boot_entry_to_banner: {m.group(1)} ms")
    for name, value in re.findall(r"^bench: (\w+): (.+)$", text, re.M):
        print(f"{name}: {value}")
    if status != EXIT_PASS:
        print(f"bench: guest exited with {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
