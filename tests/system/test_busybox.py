"""Debian's busybox-static in Ember: the shell cases of issue #17 that
need signal handlers and poll, compared with the same busybox on Linux.

The busybox binary is the host's (/bin/busybox, installed by
tools/deps.sh from Debian's busybox-static package). It goes onto a copy
of the test disk, at /tests/busybox, never onto the default disk: a user's
/bin stays Ember's own. Each script in tests/busybox/ runs as
`busybox sh SCRIPT RESULT` - on the host in a scratch directory, and in
Ember as init's command in /scratch - and the result files must be equal.

See: tests/system/README.md, docs/signals.md
"""
import os
import re
import shutil
import subprocess
import tempfile

from harness import (BUILD, DISK, EXIT_POWEROFF, ROOT, Guest, check, mtools,
                     mtype, systest)

BUSYBOX = "/bin/busybox"
SCRIPTS = os.path.join(ROOT, "tests", "busybox")


def on_linux(script):
    """Runs the script with the host's busybox; returns its result file."""
    scratch = tempfile.mkdtemp(prefix="busybox-")
    try:
        out = os.path.join(scratch, "result")
        subprocess.run([BUSYBOX, "sh", os.path.join(SCRIPTS, script), out],
                       cwd=scratch, timeout=60, check=False)
        with open(out) as f:
            return f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def on_ember(script):
    """Boots a disk with busybox and the script; returns its result file."""
    tmp = tempfile.mkdtemp(prefix="busybox-disk-", dir=BUILD)
    try:
        disk = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, disk], check=True)
        mtools("mcopy", disk, "-o", BUSYBOX, "::/tests/busybox")
        mtools("mcopy", disk, "-o", os.path.join(SCRIPTS, script),
               "::/tests/" + script)
        cmd = ("init=/bin/init,-C,/scratch,/tests/busybox,sh,"
               f"/tests/{script},/results/{script}.out")
        with Guest(cmdline=cmd, disk_image=disk) as g:
            status = g.wait_exit(120)
            check(re.search(r"^init: /tests/busybox exited with status 0",
                            g.serial, re.M),
                  f"busybox sh {script} did not exit 0")
            check(status == EXIT_POWEROFF, f"QEMU status {status}")
            g.keep_disk(disk)
        return mtype(disk, f"/results/{script}.out")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
