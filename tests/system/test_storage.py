"""System tests of storage: the in-kernel storage tests, then round trips
between Ember and the host's mtools and fsck.fat on the same disk image.

Each round trip prepares a copy of build/disk.img on the host (mcopy into
the partition at 1 MiB), boots Ember on it with a manual ktest from
tests/kernel/test_storage.c that writes and powers off, then reads the
guest's disk back with mtype/mdir and checks it with `fsck.fat -n` on the
partition copied out with dd (fsck.fat has no offset option). Also: no
disk, a damaged volume, a whole-disk volume, ACPI power-off, FAT[1]'s
clean bit after a cut and after a power-off, a 30-level tree of long names
left by tests/user/test_paths.c, the file layer's in-kernel tests
(tests/kernel/test_fs.c), and the check at mount of a volume not cleanly
unmounted: what a cut leaves repaired (on the test disk and on a 6 GiB
volume, both at 6 MiB of memory), a cross-link refused read-only.

See: docs/storage.md, tests/system/README.md
"""
import hashlib
import os
import re
import subprocess

from harness import (DISK, EXIT_PASS, EXIT_POWEROFF, MTOOLS_ENV, PART_OFFSET,
                     Guest, check, fsck_clean, mtools, mtype, run_ktests,
                     scratch_dir, systest)

BIG_BYTES = (1 << 20) + 123   # test_storage.c: BIG_FILE_BYTES + 123
NESTED_BYTES = 3 * 4096 + 1


def pattern(n, seed):
    """tests/kernel/test_storage.c's fill_pattern()."""
    return bytes((((i * 31 + seed) ^ (i >> 9)) & 0xff) for i in range(n))


def copy_disk(d):
    img = os.path.join(d, "disk.img")
    subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
    return img


@systest("storage_ktests", timeout=200)
def _():
    return run_ktests("storage_*", timeout=180)


def host_roundtrip(cmdline="", disk_index=0):
    """Ember reads a file the host put there, writes files and directories,
    syncs and powers off; mtools and fsck.fat then agree with it. Returns
    the serial text and the (DMA, PIO) command counts Ember printed."""
    with scratch_dir() as d:
        img = copy_disk(d)
        src = os.path.join(d, "hostin.txt")
        with open(src, "w") as f:
            f.write("hello from the host")
        mtools("mcopy", img, src, "::/hostin.txt")
        out = os.path.join(d, "after.img")
        with Guest(cmdline="ktest=storage_host_roundtrip " + cmdline,
                   disk_image=img, disk_index=disk_index) as g:
            g.expect_exit(EXIT_POWEROFF, timeout=150)
            g.keep_disk(out)
            text = g.serial
        check("storage: host file <<hello from the host>>" in text,
              "Ember did not read the host's file")
        done = re.search(r"storage: roundtrip done \(dma (\d+), pio (\d+) "
                         r"commands\)", text)
        check(done, "the writes did not finish")
        check("ktest: check failed" not in text,
              "a check failed: " + "; ".join(re.findall(
                  r"^ktest: check failed: (.*)$", text, re.M)))
        check(re.search(r"power: disks synced", text), "no sync at power-off")
        check(mtools("mtype", out, "::/ember.txt") == b"written by Ember\n",
              "ember.txt differs")
        check(mtools("mtype", out, "::/big.bin") == pattern(BIG_BYTES, 5),
              "big.bin differs")
        check(mtools("mtype", out, "::/one.bin") == pattern(1, 6),
              "one.bin differs")
        check(mtools("mtype", out, "::/Ember Dir/sub/nested.bin") ==
              pattern(NESTED_BYTES, 9), "nested.bin differs")
        check(mtools("mtype", out, "::/Ember Dir/New Name.txt") ==
              pattern(100, 11), "the renamed file differs")
        listing = mtools("mdir", out, "-b", "::/").decode()
        check("::/Ember Dir/" in listing and "::/old name.txt" not in listing,
              f"root listing: {listing}")
        sub = mtools("mdir", out, "::/Ember Dir").decode()
        check(re.search(r"^sub\s+<DIR>", sub, re.M) or "sub" in sub,
              f"Ember Dir listing: {sub}")
        fsck_clean(out, d)  # powered off: marked clean
        if cmdline or disk_index:
            return text, int(done.group(1)), int(done.group(2))
        with Guest(disk_image=out) as g:  # once: the next boot is quiet
            g.wait_serial(r"storage: mounted", timeout=120)
            check("not cleanly unmounted" not in g.serial,
                  "a clean power-off was taken for a cut")
    return text, int(done.group(1)), int(done.group(2))


@systest("storage_host_roundtrip", timeout=200)
def _():
    """The round trip on the primary master, by bus-master DMA: every
    command of the boot and the writes went by DMA, none by PIO."""
    text, dma, pio = host_roundtrip()
    check(re.search(r"^.*ata: bus-master DMA at port", text, re.M),
          "no bus-master function found")
    check(dma > 0 and pio == 0, f"{dma} DMA and {pio} PIO commands")


@systest("storage_dma_secondary_slave", timeout=200)
def _():
    """The disk alone as the secondary slave, behind the CD-ROM (the
    secondary master): found there, mounted, and written by DMA through
    the secondary channel's registers and IRQ 15."""
    text, dma, pio = host_roundtrip(disk_index=3)
    check(re.search(r"ata: secondary slave: \"QEMU HARDDISK\"", text),
          "the disk was not found as the secondary slave")
    check("ata: primary master" not in text, "a primary disk appeared")
    check(dma > 0 and pio == 0, f"{dma} DMA and {pio} PIO commands")


@systest("storage_nodma_falls_back_to_pio", timeout=300)
def _():
    """With the `nodma` option the driver runs on PIO alone: the round
    trip still agrees with mtools and fsck.fat, no command went by DMA, and
    the driver's own tests (tests/kernel/test_storage.c) pass on PIO."""
    text, dma, pio = host_roundtrip(cmdline="nodma")
    check("ata: DMA off (nodma): PIO only" in text, "no log line for nodma")
    check(dma == 0 and pio > 0, f"{dma} DMA and {pio} PIO commands")
    return run_ktests("storage_ata_*", timeout=180, cmdline="nodma")


@systest("storage_flusher_writes_metadata", timeout=150)
def _():
    """A mkdir and a rename with no close and no sync reach the disk
    through the flusher alone (the guest exits without syncing)."""
    with scratch_dir() as d:
        img = copy_disk(d)
        out = os.path.join(d, "after.img")
        with Guest(cmdline="ktest=storage_flusher_only",
                   disk_image=img) as g:
            g.expect_exit(EXIT_POWEROFF, timeout=120)
            g.keep_disk(out)
            text = g.serial
        check("storage: changed (0, 0)" in text, "the changes failed")
        listing = mtools("mdir", out, "-b", "-/", "::/").decode()
        check("::/flushdir/moved.txt" in listing, f"listing: {listing}")
        root_names = [ln.upper() for ln in listing.splitlines()]
        check("::/README.TXT" not in root_names,
              f"README.TXT still in the root: {listing}")
        with open(os.path.join(os.path.dirname(__file__), "..", "..",
                               "tools", "disk", "README.txt"), "rb") as f:
            readme = f.read()
        check(mtools("mtype", out, "::/flushdir/moved.txt") == readme,
              "moved file differs")
        fsck_clean(out, d, dirty=True)  # it never shut down
        with Guest(disk_image=out) as g:  # the next boot says so
            g.wait_serial(r"storage: mounted", timeout=120)
            check("fat: volume not cleanly unmounted; run fsck.fat"
                  in g.serial, "no word of the unclean shutdown")
            # ... then checks it and marks it clean before mounting
            check(re.search(r"fat: volume repaired: .*; marked clean",
                            g.serial), "no repair line")


@systest("storage_no_disk_boots_on")
def _():
    with Guest(disk=False) as g:
        g.expect_exit(EXIT_POWEROFF, timeout=60)
        text = g.serial
    check(re.search(r"storage: no disk; running without a root volume", text),
          "no clear log line for the missing disk")


@systest("storage_damaged_volume_refused", timeout=150)
def _():
    """A boot sector whose sectors-per-cluster is not a power of two: the
    mount is refused with a log line, and boot goes on."""
    with scratch_dir() as d:
        img = copy_disk(d)
        with open(img, "r+b") as f:
            f.seek(PART_OFFSET + 13)  # BPB sectors_per_cluster
            f.write(bytes([3]))
        with Guest(disk_image=img) as g:
            g.expect_exit(EXIT_POWEROFF, timeout=120)
            text = g.serial
    check(re.search(r"storage: FAT32 volume refused \(-\d+\)", text),
          "no refusal logged")
    # The boot goes on to start init, which then finds no disk to run from.
    check(re.search(r"^init: exited with status 127", text, re.M),
          "boot did not go on to init")


def whole_disk(d, size):
    """A sparse disk of `size` formatted whole (no MBR), 4 KiB clusters,
    with README.TXT (tools/disk/README.txt) in its root."""
    img = os.path.join(d, "whole.img")
    subprocess.run(["truncate", "-s", size, img], check=True)
    subprocess.run(["/usr/sbin/mkfs.fat", "-F", "32", "-s", "8", img],
                   check=True, capture_output=True)
    subprocess.run(["mcopy", "-i", img, os.path.join(
        os.path.dirname(__file__), "..", "..", "tools", "disk",
        "README.txt"), "::/README.TXT"], check=True, env=MTOOLS_ENV)
    return img


@systest("storage_whole_disk_volume", timeout=150)
def _():
    """A disk formatted whole (no MBR), as the seed's was, mounts too."""
    with scratch_dir() as d:
        img = whole_disk(d, "300M")
        with Guest(cmdline="ktest=storage_root_volume_mounted_and_readable",
                   disk_image=img) as g:
            g.expect_exit(EXIT_PASS, timeout=120)
            text = g.serial
    check(re.search(r"storage: mounted FAT32 whole disk at sector 0", text),
          "not mounted as a whole-disk volume")


def acpi_power_off(uefi):
    """The real ACPI S5 path: QEMU exits 0 (with -no-reboot, a triple
    fault would also exit 0, so the log lines prove the path taken)."""
    with Guest(cmdline="ktest=storage_acpi_power_off", uefi=uefi) as g:
        status = g.wait_exit(90)
        text = g.serial
    check(status == 0, f"QEMU exit status {status}, expected 0")
    check("power: disks synced" in text, "no sync before power-off")
    check("power: powering off through ACPI S5" in text, "not through ACPI")
    check("ACPI power-off failed" not in text and "EXCEPTION" not in text,
          "power-off failed")


@systest("storage_acpi_power_off", timeout=120)
def _():
    acpi_power_off(uefi=False)


@systest("storage_acpi_power_off_uefi", timeout=150)
def _():
    """OVMF's tables: an ACPI 2.0 RSDP, the XSDT, PM1a at another port."""
    acpi_power_off(uefi=True)


@systest("fs_ktests", timeout=200)
def _():
    """The file layer (tests/kernel/test_fs.c): the VFS, FAT32 behind
    struct file, /dev, descriptor tables and pipes."""
    return run_ktests("fs_*", timeout=180)


@systest("storage_deep_tree_checked_on_the_host", timeout=300)
def _():
    """tests/user/test_paths.c, with "keep", leaves its 30-level tree of
    200-byte names (an absolute path of over 6,000 bytes) on the disk; mtools
    lists every level's file and fsck.fat -n finds the volume clean."""
    cmd = ("init=/bin/init,-C,/scratch,/tests/test_paths,"
           "/results/test_paths.out,keep")
    with scratch_dir() as d:
        out = os.path.join(d, "after.img")
        with Guest(cmdline=cmd) as g:
            g.expect_exit(EXIT_POWEROFF, timeout=240)
            g.keep_disk(out)
            text = g.serial
        check(re.search(r"^init: /tests/test_paths exited with status 0",
                        text, re.M), "test_paths failed")
        results = mtype(out, "/results/test_paths.out")
        check("levels made and entered: 30\n" in results,
              f"the tree was not made: {results}")
        listing = mtools("mdir", out, "-/", "-b", "::/scratch").decode()
        files = [ln for ln in listing.splitlines() if ln.endswith("/f")]
        check(len(files) == 30, f"{len(files)} files named f, not 30")
        deepest = max(len(ln) for ln in files)
        check(deepest > 6000, f"the deepest file's path is {deepest} bytes")
        fsck_clean(out, d)


# ---- the check at mount (kernel/fs/fat32_check.c) ----

FAT_EOC = 0x0FFFFFFF
REPAIR_BYTES = 10000  # three 4 KiB clusters
# Boots, runs one program and powers off: the mount's check is all it does.
QUIET_BOOT = "init=/bin/init,-C,/scratch,/bin/echo,booted"


class RawFat:
    """The FATs and root directory of the partition of a disk image, edited
    in place as a power cut (or worse) would leave them."""

    def __init__(self, img):
        self.f = open(img, "r+b")
        boot = self.read(0, 512)
        self.sector = int.from_bytes(boot[11:13], "little")
        self.spc = boot[13]
        self.reserved = int.from_bytes(boot[14:16], "little")
        self.fats = boot[16]
        self.fat_size = int.from_bytes(boot[36:40], "little")
        self.root = int.from_bytes(boot[44:48], "little")

    def read(self, off, n):
        self.f.seek(PART_OFFSET + off)
        return self.f.read(n)

    def write(self, off, data):
        self.f.seek(PART_OFFSET + off)
        self.f.write(data)

    def fat_off(self, copy, c):
        return (self.reserved + copy * self.fat_size) * self.sector + 4 * c

    def get(self, c, copy=0):
        return int.from_bytes(self.read(self.fat_off(copy, c), 4), "little")

    def set(self, c, v, copies=None):
        for k in copies if copies is not None else range(self.fats):
            self.write(self.fat_off(k, c), v.to_bytes(4, "little"))

    def make_dirty(self):
        self.set(1, self.get(1) & ~0x08000000)

    def free_after(self, c):
        while self.get(c) & 0x0FFFFFFF:
            c += 1
        return c

    def first_cluster(self, name83):
        """The first cluster of the root's short entry name83 (11 bytes)."""
        data = (self.reserved + self.fats * self.fat_size) * self.sector
        c = self.root
        while c < 0x0FFFFFF8:
            at = data + (c - 2) * self.spc * self.sector
            block = self.read(at, self.spc * self.sector)
            for i in range(0, len(block), 32):
                e = block[i:i + 32]
                if e[:11] == name83:
                    return (int.from_bytes(e[20:22], "little") << 16 |
                            int.from_bytes(e[26:28], "little"))
            c = self.get(c) & 0x0FFFFFFF
        raise AssertionError(f"{name83} not in the root")

    def close(self):
        self.f.close()


def fsck_finds(img, d):
    """fsck.fat -n's complaints about img's partition ('' if clean)."""
    part = os.path.join(d, "check.img")
    subprocess.run(["dd", f"if={img}", f"of={part}", "bs=1M", "skip=1",
                    "conv=sparse", "status=none"], check=True)
    p = subprocess.run(["/usr/sbin/fsck.fat", "-n", part],
                       capture_output=True, text=True)
    os.remove(part)
    return "" if p.returncode == 0 else p.stdout


@systest("storage_unclean_volume_repaired_at_mount", timeout=200)
def _():
    """A volume left as a cut leaves it: not cleanly unmounted, a lost
    chain of three clusters in the first FAT only (so the copies differ),
    a file's chain one cluster past its size, a stale FSInfo count. Booted
    at the smallest memory size (6 MiB), Ember repairs it at mount with
    one log line; after a clean power-off `fsck.fat -n` finds nothing (the
    clean bit set, the FATs equal) and the file is intact."""
    data = pattern(REPAIR_BYTES, 21)
    with scratch_dir() as d:
        img = copy_disk(d)
        src = os.path.join(d, "repair.bin")
        with open(src, "wb") as f:
            f.write(data)
        mtools("mcopy", img, src, "::/REPAIR.BIN")
        raw = RawFat(img)
        raw.make_dirty()
        lost = raw.free_after(raw.root + 5000)
        raw.set(lost, lost + 1, copies=[0])
        raw.set(lost + 1, lost + 2, copies=[0])
        raw.set(lost + 2, FAT_EOC, copies=[0])
        c = raw.first_cluster(b"REPAIR  BIN")
        while raw.get(c) & 0x0FFFFFFF < 0x0FFFFFF8:
            c = raw.get(c) & 0x0FFFFFFF
        extra = raw.free_after(lost + 3)
        raw.set(c, extra)
        raw.set(extra, FAT_EOC)
        free = int.from_bytes(raw.read(raw.sector + 488, 4), "little")
        raw.write(raw.sector + 488, (free + 9).to_bytes(4, "little"))
        raw.close()
        found = fsck_finds(img, d)
        for what in ("FATs differ", "Truncating file", "Reclaimed",
                     "Dirty bit", "Free cluster summary wrong"):
            check(what in found, f"the damage has no '{what}': {found}")
        with Guest(cmdline=QUIET_BOOT, disk_image=img, mem="6M") as g:
            g.expect_exit(EXIT_POWEROFF, timeout=150)
            g.keep_disk(img)
            text = g.serial
        check("fat: volume not cleanly unmounted; run fsck.fat" in text,
              "no word of the unclean shutdown")
        m = re.search(r"fat: volume repaired: (\d+) lost clusters freed, "
                      r"(\d+) FAT sectors copied from the first FAT, (\d+) "
                      r"chains cut to their file's size", text)
        check(m, "no repair line")
        check(m.group(1) == "4" and int(m.group(2)) >= 1 and
              m.group(3) == "1", f"repair counts: {m.group(0)}")
        check(re.search(r"^booted$", text, re.M), "the boot did not go on")
        check(re.search(r"power: disks synced", text), "no sync at power-off")
        fsck_clean(img, d)  # clean bit set, FATs equal, nothing to fix
        check(mtools("mtype", img, "::/REPAIR.BIN") == data,
              "REPAIR.BIN differs")


@systest("storage_cross_linked_volume_mounted_read_only", timeout=200)
def _():
    """Damage no cut of Ember's leaves: two files share a cluster (B.BIN's
    first cluster leads into A.BIN's second). The mount refuses to repair
    it: one log line, the volume read-only (a program's write gets EROFS),
    and after power-off the image is the same to the byte."""
    with scratch_dir() as d:
        img = copy_disk(d)
        for name, seed in (("A.BIN", 22), ("B.BIN", 23)):
            src = os.path.join(d, name)
            with open(src, "wb") as f:
                f.write(pattern(REPAIR_BYTES, seed))
            mtools("mcopy", img, src, "::/" + name)
        raw = RawFat(img)
        raw.make_dirty()
        a = raw.first_cluster(b"A       BIN")
        b = raw.first_cluster(b"B       BIN")
        raw.set(b, raw.get(a) & 0x0FFFFFFF)
        raw.close()
        with open(img, "rb") as f:
            before = hashlib.sha256(f.read()).hexdigest()
        cmd = "init=/bin/init,-C,/scratch,/bin/touch,/scratch/new"
        with Guest(cmdline=cmd, disk_image=img) as g:
            g.expect_exit(EXIT_POWEROFF, timeout=150)
            g.keep_disk(img)
            text = g.serial
        check(re.search(r"fat: volume damaged \(a cluster in two chains, or "
                        r"a loop, cluster \d+\); mounted read-only, run "
                        r"fsck.fat", text), "no refusal line")
        check("volume repaired" not in text, "a cross-link was repaired")
        check(re.search(r"^init: /bin/touch exited with status [1-9]", text,
                        re.M), "touch did not fail on the read-only volume")
        check(re.search(r"power: disks synced", text),
              "the read-only volume's sync reported a failure")
        with open(img, "rb") as f:
            after = hashlib.sha256(f.read()).hexdigest()
        check(before == after, "the refused volume was written to")


@systest("storage_unclean_6_gib_volume_repaired_at_6_mib", timeout=300)
def _():
    """The check's bitmap is one bit per cluster: a 6 GiB volume (1.5
    million clusters, 192 KiB of bitmap) found dirty, with a lost chain in
    the first FAT only, is repaired at mount by a kernel given 6 MiB of
    memory, and `fsck.fat -n` (whole disk) then finds nothing but the
    dirty bit: the boot made /dev, /proc and /tmp, and the ktest exits
    without a clean power-off."""
    with scratch_dir() as d:
        img = whole_disk(d, "6G")
        with open(img, "r+b") as f:
            boot = f.read(512)
            fat = int.from_bytes(boot[14:16], "little") * 512
            fat_bytes = int.from_bytes(boot[36:40], "little") * 512
            for k in range(boot[16]):
                f.seek(fat + k * fat_bytes + 4)
                v = int.from_bytes(f.read(4), "little") & ~0x08000000
                f.seek(fat + k * fat_bytes + 4)
                f.write(v.to_bytes(4, "little"))
            lost = 1000000  # far in the volume: a chain of two
            f.seek(fat + 4 * lost)
            f.write((lost + 1).to_bytes(4, "little") +
                    FAT_EOC.to_bytes(4, "little"))
        with Guest(cmdline="ktest=storage_root_volume_mounted_and_readable",
                   disk_image=img, mem="6M") as g:
            g.expect_exit(EXIT_PASS, timeout=240)
            g.keep_disk(img)
            text = g.serial
        check(re.search(r"fat: volume repaired: 2 lost clusters freed, 1 FAT "
                        r"sectors copied", text), "no repair of the 6 GiB "
              "volume: " + "; ".join(re.findall(r"^.*fat: .*$", text, re.M)))
        p = subprocess.run(["/usr/sbin/fsck.fat", "-n", img],
                           capture_output=True, text=True)
        usual = (r"^fsck\.fat \d", r"^Dirty bit is set",
                 r"^\s*Automatically removing dirty bit",
                 r"^Leaving filesystem unchanged", r": \d+ files, ", r"^$")
        bad = [ln for ln in p.stdout.splitlines()
               if not any(re.search(u, ln) for u in usual)]
        check(not bad, f"fsck.fat -n: {p.stdout[-600:]}")
