"""System tests of bounded holds of the volume lock (issue #16).

tests/user/hostile_bound.c runs in the guest and counts every bound in
work, never in time (the host is loaded): bytes and clusters per hold of
the lock from /proc/ember, another process's progress by the size of the
file being extended, the order of completions by one pipe.

  bound_holds_within_1_mib   a 100 MiB ftruncate extension and its shrink
                             back, a 64 MiB write and read (one call each),
                             the unlinks, ten execs with the caches
                             dropped: no hold of the lock moved more than
                             1 MiB of file data or allocated or freed more
                             than 256 clusters, the shrink's 100 MiB were
                             free when it returned, and every kind of hold
                             was seen working.
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
                             host's /bin/busybox on a copy of the disk); a
                             short child that slept on a pipe, woken once
                             they are under way, finishes before 10 more of
                             the execs do.
  bound_power_cut_loop       (long) files written, renamed over and fsynced
                             while QEMU is killed at moments a seeded RNG
                             picks, POWER_CUTS times on one disk: after
                             each cut every file the guest said was synced
                             is intact (mtools) and `fsck.fat -n` finds
                             nothing but what a cut may leave (CUT_LOST);
                             then Ember boots once more on the disk,
                             repairs it at mount (kernel/fs/fat32_check.c)
                             and powers off, and `fsck.fat -n` finds
                             nothing at all, every synced file still
                             intact.

See: docs/storage.md, tests/system/README.md
"""
import functools
import os
import random
import re
import subprocess
import time

from harness import (DISK, EXIT_POWEROFF, FSCK_LOST, Guest, check,
                     fsck_clean, mtools, scratch_dir, systest)
from selfcheck import init_cmdline, judge
from session import disk_with

PROG = "hostile_bound"
BUSYBOX = "/bin/busybox"
POWER_CUTS = 8
POWER_CUT_SEED = 16
POWER_CUT_FILES = 40  # the cut comes after 1..POWER_CUT_FILES synced files
POWER_CUT_ENDLESS = 1000000  # files the guest would write: never reached
NAMES = 8  # hostile_bound.c renames file i over pc<i % 8>.bin
# A cut between the two FAT copies' writes of one sync leaves them
# different, the first one whole; fsck.fat uses it. Only a cut may do that.
CUT_LOST = FSCK_LOST + (r"^FATs differ but appear to be intact",
                        r"^\s+Using first FAT")
# The boot after a cut: it mounts (repairing) and powers off at once.
REPAIR_BOOT = "init=/bin/init,-C,/scratch,/bin/echo,booted"
REPAIRED = re.compile(r"fat: volume repaired: (\d+) lost clusters freed, "
                      r"(\d+) FAT sectors copied from the first FAT, (\d+) "
                      r"chains cut")


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


@functools.lru_cache(maxsize=64)
def power_cut_content(i):
    """The bytes hostile_bound.c's powercut() writes for file i."""
    def lcg(s):
        s = (s * 1103515245 + 12345) & 0xFFFFFFFF
        return s, s >> 8
    s = (i * 2654435761) & 0xFFFFFFFF
    s, r = lcg(s)
    n = 1 + r % (300 * 1024)
    ds, out = i & 0xFFFFFFFF, bytearray(n)
    for j in range(n):
        ds, r = lcg(ds)
        out[j] = r & 0xFF
    return bytes(out)


@systest("bound_power_cut_loop", timeout=1500, long=True)
def _():
    rnd = random.Random(POWER_CUT_SEED)
    with scratch_dir() as d:
        img = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
        synced = {}  # final name -> index of its last synced version
        checked = lost_cuts = fats_differ = 0
        repairs = [0, 0, 0]  # lost clusters, FAT sectors, chains cut
        for cut in range(POWER_CUTS):
            start = cut * POWER_CUT_ENDLESS
            # The cut: after a random number of synced files, then a random
            # pause, so that it falls anywhere in the write, rename and
            # fsync of the files after it.
            after_files = rnd.randrange(1, POWER_CUT_FILES + 1)
            pause_s = rnd.uniform(0, 0.2)
            args = ["powercut", start, POWER_CUT_ENDLESS]
            with Guest(cmdline=init_cmdline(PROG, args), disk_image=img,
                       name=f"bound_power_cut_loop.{cut}") as g:
                g.wait_serial(rf"^synced pc\d\.bin {start + after_files - 1} ",
                              timeout=300)
                time.sleep(pause_s)
                g.proc.kill()
                g.proc.wait()
                g.keep_disk(img)
                text = g.serial
            check("powercut:" not in text,
                  f"cut {cut}: the guest stopped before the cut")
            lines = re.findall(r"^synced (pc\d\.bin) (\d+) \d+$", text, re.M)
            for name, i in lines:
                synced[name] = int(i)
            check(lines, f"cut {cut}: nothing was synced")
            last = int(lines[-1][1])
            for name, i in list(synced.items()):
                # The synced version, or a later one written to the same
                # name whose rename reached the disk before the cut (the
                # serial line may also trail the guest by a file or two).
                got = mtools("mtype", img, f"::/scratch/{name}")
                if got != power_cut_content(i):
                    later = [k for k in range(max(i + NAMES, start + i % NAMES),
                                              last + 3 * NAMES, NAMES)
                             if got == power_cut_content(k)]
                    check(later, f"cut {cut}: {name} (file {i}) is not intact")
                    synced[name] = later[0]
                checked += 1
            # A cut may lose clusters taken or freed since the last sync
            # (no journal): fsck may reclaim them, and nothing else.
            out = fsck_clean(img, d, dirty=True, allow=CUT_LOST)
            lost_cuts += "Reclaimed" in out
            fats_differ += "FATs differ" in out
            # The next boot repairs it at mount and powers off cleanly:
            # then fsck finds nothing at all (fsck_clean() also requires
            # the clean bit), and no synced file was touched.
            with Guest(cmdline=REPAIR_BOOT, disk_image=img,
                       name=f"bound_power_cut_loop.{cut}.repair") as g:
                g.expect_exit(EXIT_POWEROFF, timeout=120)
                g.keep_disk(img)
                text = g.serial
            m = REPAIRED.search(text)
            check(m, f"cut {cut}: the next boot did not repair the volume")
            repairs = [a + int(b) for a, b in zip(repairs, m.groups())]
            fsck_clean(img, d)
            for name, i in synced.items():
                check(mtools("mtype", img, f"::/scratch/{name}") ==
                      power_cut_content(i),
                      f"cut {cut}: {name} (file {i}) changed in the repair")
        print(f"bound_power_cut_loop: {POWER_CUTS} power cuts, "
              f"{checked} synced files checked intact, lost clusters "
              f"after {lost_cuts}, FAT copies differing after {fats_differ}; "
              f"the next boots repaired {repairs[0]} lost clusters, "
              f"{repairs[1]} FAT sectors, {repairs[2]} long chains, and "
              f"left {POWER_CUTS} volumes fsck-clean")
