"""Debian's busybox-static in Ember: the shell cases of issue #17 that
need signal handlers and poll, compared with the same busybox on Linux.

busybox_disk.py puts the host's busybox on a copy of the test disk. Each
script in tests/busybox/ runs as
`busybox sh SCRIPT RESULT` - on the host in a scratch directory, and in
Ember as init's command in /scratch - and the result files must be equal.

See: tests/system/README.md, docs/signals.md
"""
import os

from busybox_disk import BUSYBOX, on_ember, on_linux
from harness import check, systest


@systest("busybox_sh_signals_and_poll", timeout=180)
def _():
    check(os.path.exists(BUSYBOX), f"{BUSYBOX} missing: run tools/deps.sh")
    want = on_linux("signals.sh")
    # Both sides empty or broken alike must not pass: Linux's run is known.
    check("<b c>\n" in want and "trapped\n" in want and "end\n" in want,
          f"the host run of signals.sh is incomplete:\n{want}")
    got = on_ember("signals.sh")
    check(got == want, f"busybox sh differs from Linux:\n--- Linux\n{want}"
          f"--- Ember\n{got}")
