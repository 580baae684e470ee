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

import busybox_disk
from busybox_disk import BUSYBOX
from harness import check, systest


def on_linux(script):
    """tmpfs.sh on the host: a folder of the scratch directory stands in
    for /tmp, and the script is told where busybox is."""
    def extra(scratch):
        os.mkdir(os.path.join(scratch, "dir"))
        return [os.path.join(scratch, "dir"), BUSYBOX]
    return busybox_disk.on_linux(script, extra)


def on_ember(script):
    """The script in Ember's /tmp (the tmpfs)."""
    return busybox_disk.on_ember(script, cwd="/tmp",
                                 extra=("/tmp", "/tests/busybox"))


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
