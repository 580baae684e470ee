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

  pcache_reads_match_the_host
                             tests/user/hostile_readahead.c reads a 16 MiB
                             file of pseudo-random bytes cold and warm, by
                             fread, read in 1 MiB and in odd pieces, readv,
                             two processes at once and random preads: each
                             pass has the checksum the host computed of
                             the bytes it put there.
  pcache_read_error_inside_a_readahead_window
                             QEMU's blkdebug fails one sector in the middle
                             of a 4 MiB file, inside a readahead window:
                             read() gives exactly the bytes before that
                             sector's page (the host's checksum), then EIO,
                             and the page after it still reads.

See: docs/storage.md, tests/system/README.md
"""
import errno
import mmap
import os
import random
import struct

from harness import (SECTOR_BYTES, check, fsck_clean,
                     mtools, scratch_dir, systest, Guest)
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


def word_sum(data):
    """hostile_readahead.c's checksum: FNV-1a over little-endian 64-bit
    words, the last one zero-padded."""
    h = 0xcbf29ce484222325
    for (w,) in struct.iter_unpack("<Q", data + bytes(-len(data) % 8)):
        h = ((h ^ w) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:x}"


@systest("pcache_reads_match_the_host", timeout=300)
def _():
    data = random.Random(1515).randbytes(16 * MIB)
    img = disk_with("pcache_bytes", {"rand.bin": data})
    try:
        prog = "hostile_readahead"
        args = ["bytes", "/scratch/rand.bin", word_sum(data)]
        with Guest(cmdline=init_cmdline(prog, args), disk_image=img) as g:
            judge(g, prog, g.wait_exit(240))
    finally:
        os.remove(img)


BAD_AT = 2 * MIB + 3 * PAGE  # the failing page, inside a 1 MiB window


@systest("pcache_read_error_inside_a_readahead_window", timeout=300)
def _():
    data = random.Random(1516).randbytes(4 * MIB)
    img = disk_with("pcache_bad", {"rand.bin": data})
    try:
        # The failing sector is the page's second: found by its bytes,
        # which are random and so occur once on the disk.
        target = data[BAD_AT + SECTOR_BYTES:BAD_AT + 2 * SECTOR_BYTES]
        with open(img, "rb") as f, \
                mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            where = m.find(target)
        check(where > 0 and where % SECTOR_BYTES == 0,
              "the file's sector is not on the disk image")
        sector = where // SECTOR_BYTES
        with scratch_dir() as d:
            conf = os.path.join(d, "blkdebug.conf")
            with open(conf, "w") as f:
                f.write(f'[inject-error]\nevent = "read_aio"\n'
                        f'iotype = "read"\nerrno = "{errno.EIO}"\n'
                        f'sector = "{sector}"\nonce = "off"\n')
            drive = ["-drive", f"file=blkdebug:{conf}:{img},format=raw,"
                     "if=ide,index=0,media=disk,cache=unsafe"]
            prog = "hostile_readahead"
            args = ["error", "/scratch/rand.bin",
                    word_sum(data[:BAD_AT]), BAD_AT]
            with Guest(cmdline=init_cmdline(prog, args), disk=False,
                       extra_args=drive) as g:
                judge(g, prog, g.wait_exit(240))
    finally:
        os.remove(img)
