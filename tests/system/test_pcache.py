"""System tests of the page cache (kernel/fs/fat32_pcache.c).

  pcache_pressure_and_exec   tests/user/hostile_cache_pressure.c with a
                             file larger than the guest's free memory in
                             /scratch: a second exec of /bin/true reads no
                             sector, drop_caches empties the cache, the big
                             file reads back exactly while the cache
                             reclaims, and a program then mallocs three
                             quarters of memory and succeeds.
  pcache_synced_data_survives_a_kill
                             a shell script writes files through the page
                             cache (cp, redirections, an append, a
                             directory), runs sync and prints a marker; the
                             host kills QEMU at once, and mtools must read
                             every byte and `fsck.fat -n` find the volume
                             clean.
  pcache_shared_map_survives_a_kill
                             tests/user/test_memory.c (whose results
                             user_diff_test_memory compares with Linux's)
                             writes shared.bin through a writable
                             MAP_SHARED map, a pwrite and a forked child,
                             msyncs and unmaps; the host kills QEMU right
                             after, and mtools must read the bytes Linux
                             would have written, `fsck.fat -n` find the
                             volume clean.

See: docs/storage.md, tests/system/README.md
"""
import os
import random
import struct

from harness import check, fsck_clean, mtools, scratch_dir, systest, Guest
from selfcheck import init_cmdline, judge
from session import disk_with

PAGE = 4096
BIG_MIB = 288  # more than a 256 MiB guest has free
MIB = 1 << 20
KILL_MARKER = "pcache: synced, kill me"


def big_file():
    """Every 8-byte word is its 4 KiB block number (the C side checks)."""
    return b"".join(struct.pack("<Q", b) * (PAGE // 8)
                    for b in range(BIG_MIB * MIB // PAGE))


def run_then_kill(img, d):
    """Boots img with /scratch/run.sh as init's command, kills QEMU at
    KILL_MARKER (no power-off, no last sync); returns the disk's copy."""
    out = os.path.join(d, "after.img")
    cmd = "init=/bin/init,-C,/scratch,/bin/sh,/scratch/run.sh"
    with Guest(cmdline=cmd, disk_image=img) as g:
        g.wait_serial(KILL_MARKER, timeout=150)
        g.proc.kill()
        g.proc.wait()
        g.keep_disk(out)
    return out


@systest("pcache_pressure_and_exec", timeout=400)
def _():
    img = disk_with("pcache_pressure", {"big.bin": big_file()})
    try:
        prog = "hostile_cache_pressure"
        with Guest(cmdline=init_cmdline(prog, ["/scratch/big.bin"]),
                   disk_image=img) as g:
            status = g.wait_exit(360)
            judge(g, prog, status)
    finally:
        os.remove(img)


@systest("pcache_synced_data_survives_a_kill", timeout=200)
def _():
    rnd = random.Random(15)
    src1 = rnd.randbytes(3 * MIB + 123)
    src2 = rnd.randbytes(700 * 1024 + 5)
    script = "\n".join([
        "cp /scratch/src1.bin /scratch/out1.bin",
        "cat /scratch/src2.bin /scratch/src1.bin > /scratch/out2.bin",
        "echo appended >> /scratch/out2.bin",
        "mkdir /scratch/d",
        "cp /scratch/src2.bin /scratch/d/out3.bin",
        "sync",
        f"echo '{KILL_MARKER}'",
        "sleep 600",
    ]) + "\n"
    img = disk_with("pcache_kill", {"src1.bin": src1, "src2.bin": src2,
                                    "run.sh": script.encode()})
    try:
        with scratch_dir() as d:
            out = run_then_kill(img, d)
            check(mtools("mtype", out, "::/scratch/out1.bin") == src1,
                  "out1.bin differs")
            check(mtools("mtype", out, "::/scratch/out2.bin") ==
                  src2 + src1 + b"appended\n", "out2.bin differs")
            check(mtools("mtype", out, "::/scratch/d/out3.bin") == src2,
                  "d/out3.bin differs")
            fsck_clean(out, d, dirty=True)  # killed: never shut down
    finally:
        os.remove(img)


SHARED_LEN = 3 * PAGE + 100  # test_memory.c's SHARED_LEN


def shared_expected():
    """shared.bin as test_memory.c leaves it (its writes, in order)."""
    b = bytearray(ord("a") + i % 26 for i in range(SHARED_LEN))
    for i in range(0, SHARED_LEN, 3):
        b[i] = i * 7 % 251
    b[8000:8003] = b"fd!"
    b[5000:5005] = b"child"
    return bytes(b)


@systest("pcache_shared_map_survives_a_kill", timeout=200)
def _():
    script = "\n".join([
        "/tests/test_memory /scratch/memory.out",
        f"echo '{KILL_MARKER}'",
        "sleep 600",
    ]) + "\n"
    img = disk_with("pcache_shared", {"run.sh": script.encode()})
    try:
        with scratch_dir() as d:
            out = run_then_kill(img, d)
            got = mtools("mtype", out, "::/scratch/shared.bin")
            check(len(got) == SHARED_LEN,
                  f"shared.bin is {len(got)} bytes, not {SHARED_LEN}")
            want = shared_expected()
            bad = [i for i in range(min(len(got), SHARED_LEN))
                   if got[i] != want[i]]
            check(not bad, f"shared.bin differs at {len(bad)} bytes, "
                  f"first at {bad[:1]}")
            fsck_clean(out, d, dirty=True)  # killed: never shut down
    finally:
        os.remove(img)
