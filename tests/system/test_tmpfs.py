"""tmpfs at /tmp, with Debian's busybox as the user: links, modes and a
program run from /tmp compared with Linux, and mount, df and umount.

tests/busybox/tmpfs.sh runs on Linux in a scratch directory (the host's
/tmp need not be a tmpfs: the script prints only what any Unix
filesystem shows) and in Ember's /tmp; the outputs must be equal.
tests/busybox/tmpfs_mount.sh is Ember's alone (mounting needs root on
the host) and its lines are checked here against what Linux documents:
ENOSPC past size=, EBUSY for umount with a file open, ENODEV for an
unknown type.

See: tests/system/README.md, docs/storage.md
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
    """Runs the script with the host's busybox in a scratch directory."""
    scratch = tempfile.mkdtemp(prefix="tmpfs-")
    try:
        out = os.path.join(scratch, "result")
        os.mkdir(os.path.join(scratch, "dir"))
        subprocess.run([BUSYBOX, "sh", os.path.join(SCRIPTS, script), out,
                        os.path.join(scratch, "dir"), BUSYBOX],
                       cwd=scratch, timeout=60, check=False)
        with open(out) as f:
            return f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def on_ember(script):
    """Boots a disk with busybox and the script, run in /tmp."""
    tmp = tempfile.mkdtemp(prefix="tmpfs-disk-", dir=BUILD)
    try:
        disk = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, disk], check=True)
        mtools("mcopy", disk, "-o", BUSYBOX, "::/tests/busybox")
        mtools("mcopy", disk, "-o", os.path.join(SCRIPTS, script),
               "::/tests/" + script)
        cmd = ("init=/bin/init,-C,/tmp,/tests/busybox,sh,"
               f"/tests/{script},/results/{script}.out,/tmp,/tests/busybox")
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


@systest("tmpfs_busybox_links_modes_exec_like_linux", timeout=180)
def _():
    check(os.path.exists(BUSYBOX), f"{BUSYBOX} missing: run tools/deps.sh")
    want = on_linux("tmpfs.sh")
    check("one inode\n" in want and "ran from here\n" in want and
          "removed\n" in want, f"the host run of tmpfs.sh is incomplete:\n"
          f"{want}")
    got = on_ember("tmpfs.sh")
    check(got == want, f"busybox in /tmp differs from Linux:\n--- Linux\n"
          f"{want}--- Ember\n{got}")


@systest("tmpfs_busybox_mount_df_enospc_umount", timeout=180)
def _():
    check(os.path.exists(BUSYBOX), f"{BUSYBOX} missing: run tools/deps.sh")
    got = on_ember("tmpfs_mount.sh")
    lines = got.splitlines()
    want = [
        "4",  # /, /dev, /tmp, /proc and nothing else at boot
        "tmpfs /tmp tmpfs",
        "self mounts: same",
        "mount: 0",
        "none /tmp/small tmpfs rw,size=1024k,mode=1777 0 0",
        "df: 1024 0 /tmp/small",
        "dd past the size: 1",
        "size: 1048576",
        "append when full: 1",
        "df full: 1024 1024 0",
        "df empty: 0",
        "umount busy: 1",
        "umount: 0",
        "0",
        "mount: mounting none on /tmp/small failed: No such device",
        "df tmp: tmpfs /tmp",
    ]
    for w in want:
        check(w in lines, f"missing {w!r} in:\n{got}")
    check("unknown type: 0" not in lines, f"mount of nosuchfs worked:\n{got}")
