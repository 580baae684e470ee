"""System tests of bounded holds of the volume lock (issue #16).

tests/user/hostile_bound.c runs in the guest and counts every bound in
work, never in time (the host is loaded): bytes and clusters per hold of
the lock from /proc/ember, another process's progress by the size of the
file being extended, the order of completions by one pipe.

  bound_holds_within_1_mib   a 100 MiB ftruncate extension, a 64 MiB write
                             and read (one call each), ten execs with the
                             caches dropped: no hold of the lock moved more
                             than 1 MiB of file data or allocated more than
                             256 clusters, and every kind of hold was seen
                             working.
  bound_stat_and_read_pass_an_extension
                             while a child extends a file by 100 MiB, the
                             parent's stat and 4 KiB read complete before
                             the extension advances 8 MiB (five rounds);
                             a SIGKILL ends it before it advances 2 MiB
                             more; on the host after power-off the file has
                             the size the guest saw, all zeros, and
                             `fsck.fat -n` is clean.
  bound_short_child_passes_100_execs
                             100 children exec Debian's 2 MB busybox (the
                             host's /bin/busybox on a copy of the disk), and
                             a short child started after them finishes
                             before 10 more of the execs do.

See: docs/storage.md, tests/system/README.md
"""
import os
import re
import subprocess

from harness import (DISK, Guest, check, fsck_clean, mtools, scratch_dir,
                     systest)
from selfcheck import init_cmdline, judge
from session import disk_with

PROG = "hostile_bound"
BUSYBOX = "/bin/busybox"


@systest("bound_holds_within_1_mib", timeout=400)
def _():
    img = disk_with("bound_holds", {})
    try:
        with Guest(cmdline=init_cmdline(PROG, ["holds"]),
                   disk_image=img) as g:
            status = g.wait_exit(380)
            judge(g, PROG, status)
    finally:
        os.remove(img)


@systest("bound_stat_and_read_pass_an_extension", timeout=400)
def _():
    with scratch_dir() as d:
        img = disk_with("bound_fair", {})
        try:
            after = os.path.join(d, "after.img")
            with Guest(cmdline=init_cmdline(PROG, ["fair"]),
                       disk_image=img) as g:
                status = g.wait_exit(380)
                text = judge(g, PROG, status)
                g.keep_disk(after)
            size = int(re.search(r"^fair: grow.bin (\d+)$", text,
                                 re.M).group(1))
            data = mtools("mtype", after, "::/scratch/grow.bin")
            check(len(data) == size,
                  f"grow.bin is {len(data)} bytes on the disk, the guest "
                  f"saw {size}")
            check(data.count(0) == size, "grow.bin is not all zeros")
            fsck_clean(after, d)
        finally:
            os.remove(img)


@systest("bound_short_child_passes_100_execs", timeout=600)
def _():
    with scratch_dir() as d:
        img = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
        mtools("mcopy", img, "-o", BUSYBOX, "::/tests/busybox")
        with Guest(cmdline=init_cmdline(PROG, ["execs", "/tests/busybox"]),
                   disk_image=img) as g:
            status = g.wait_exit(580)
            judge(g, PROG, status)

