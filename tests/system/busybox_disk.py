"""Debian's busybox-static as a test subject: a script run with it on the
host and, from a copy of the test disk, in Ember (test_busybox.py,
test_tmpfs.py).

The busybox binary is the host's (/bin/busybox, installed by
tools/deps.sh from Debian's busybox-static package). It goes onto a copy
of the test disk, at /tests/busybox, never onto the default disk: a
user's /bin stays Ember's own.

See: tests/system/README.md
"""
import os
import re
import shutil
import subprocess
import tempfile

from harness import (BUILD, DISK, EXIT_POWEROFF, ROOT, Guest, check, mtools,
                     mtype)

BUSYBOX = "/bin/busybox"
SCRIPTS = os.path.join(ROOT, "tests", "busybox")


def on_linux(script, extra=lambda scratch: []):
    """Runs the script with the host's busybox in a scratch directory;
    returns its result file. extra(scratch) gives more arguments."""
    scratch = tempfile.mkdtemp(prefix="busybox-")
    try:
        out = os.path.join(scratch, "result")
        subprocess.run([BUSYBOX, "sh", os.path.join(SCRIPTS, script), out] +
                       extra(scratch), cwd=scratch, timeout=60, check=False)
        with open(out) as f:
            return f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def on_ember(script, cwd="/scratch", extra=()):
    """Boots a disk with busybox and the script, run in cwd with the
    arguments extra after the result file's; returns the result file."""
    tmp = tempfile.mkdtemp(prefix="busybox-disk-", dir=BUILD)
    try:
        disk = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, disk], check=True)
        mtools("mcopy", disk, "-o", BUSYBOX, "::/tests/busybox")
        mtools("mcopy", disk, "-o", os.path.join(SCRIPTS, script),
               "::/tests/" + script)
        cmd = (f"init=/bin/init,-C,{cwd},/tests/busybox,sh,"
               f"/tests/{script},/results/{script}.out" +
               "".join("," + a for a in extra))
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
