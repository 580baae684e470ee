"""System tests of a failing disk (make test-long): QEMU's blkdebug makes
chosen sectors of the disk fail, and Ember must contain it.

Each scenario copies build/disk.img (which has the mount points /dev, /proc
and /tmp, so that the boot itself writes nothing), finds the sectors to
break in the FAT32 partition (the first FAT, the /scratch directory, README.txt's data,
the boot sector), and boots with the disk behind a blkdebug layer whose
rules fail every read or write touching them. tests/user/hostile_disk.c
then runs as init's command and checks what a program sees. The verdicts:
the kernel lives (a clean power-off, no panic), the program gets EIO where
the disk failed and EROFS after, the log says what happened, and
`fsck.fat -n` finds no damage beyond what the failed writes themselves
lost (lost clusters and a stale free count; nothing that points at a free
cluster, and FATs that agree).

See: docs/storage.md, tests/system/README.md
"""
import errno
import os
import re
import subprocess

from harness import (DISK, EXIT_POWEROFF, FSCK_LOST, PART_OFFSET,
                     PART_START_SECTOR, Guest, TestFailure, check, fsck_clean,
                     mtools, scratch_dir, systest)
from selfcheck import init_cmdline, judge

DIRENT = 32
ATTR_LFN = 0x0F
END_OF_CHAIN = 0x0FFFFFF8
FAT_MASK = 0x0FFFFFFF
LOST = FSCK_LOST


class Volume:
    """The FAT32 partition of a disk image, read from the host."""

    def __init__(self, img):
        self.f = open(img, "rb")
        boot = self.read(0, 1)
        self.sector = int.from_bytes(boot[11:13], "little")
        self.per_cluster = boot[13]
        self.reserved = int.from_bytes(boot[14:16], "little")
        self.fats = boot[16]
        self.fat_sectors = int.from_bytes(boot[36:40], "little")
        self.root = int.from_bytes(boot[44:48], "little")
        self.data = self.reserved + self.fats * self.fat_sectors

    def read(self, lba, n):
        self.f.seek(PART_OFFSET + lba * 512)
        return self.f.read(n * 512)

    def fat(self, c):
        s = self.read(self.reserved + c * 4 // 512, 1)
        return int.from_bytes(s[c * 4 % 512:c * 4 % 512 + 4], "little")

    def cluster_lba(self, c):
        return self.data + (c - 2) * self.per_cluster

    def chain(self, c):
        out = []
        while 2 <= c < END_OF_CHAIN and len(out) < 1 << 16:
            out.append(c)
            c = self.fat(c) & FAT_MASK
        return out

    def lookup(self, dir_cluster, short_name):
        """First cluster of an 8.3 name ("README  TXT") in a directory."""
        for c in self.chain(dir_cluster):
            data = self.read(self.cluster_lba(c), self.per_cluster)
            for i in range(0, len(data), DIRENT):
                e = data[i:i + DIRENT]
                if e[0] == 0:
                    break
                if e[11] != ATTR_LFN and e[:11] == short_name.encode():
                    hi = int.from_bytes(e[20:22], "little")
                    return hi << 16 | int.from_bytes(e[26:28], "little")
        check(False, f"{short_name} not found on the disk")

    def sectors_of(self, first_cluster):
        return [self.cluster_lba(c) + k for c in self.chain(first_cluster)
                for k in range(self.per_cluster)]


def blkdebug_conf(path, sectors, event):
    """Rules failing every `event` (read_aio, write_aio) on the sectors,
    given in partition sectors, with EIO, for good. iotype keeps a rule to
    its kind: blkdebug leaves a rule armed after its event, and without it
    a read rule would fail the writes that follow too."""
    kind = "read" if event == "read_aio" else "write"
    with open(path, "w") as f:
        for s in sectors:
            f.write(f'[inject-error]\nevent = "{event}"\n'
                    f'iotype = "{kind}"\nerrno = "{errno.EIO}"\n'
                    f'sector = "{PART_START_SECTOR + s}"\nonce = "off"\n\n')


def blkdebug_drive(tmp, img, sectors, event):
    conf = os.path.join(tmp, "blkdebug.conf")
    blkdebug_conf(conf, sectors, event)
    return ["-drive", f"file=blkdebug:{conf}:{img},format=raw,if=ide,"
            "index=0,media=disk,cache=unsafe"]


def scenario(name, pick, event, verdict, timeout=150):
    """Runs hostile_disk.c's scenario `name` with the sectors pick(volume)
    failing, then verdict(serial text, disk image, scratch dir)."""
    with scratch_dir() as tmp:
        img = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
        vol = Volume(img)
        sectors = pick(vol)
        vol.f.close()
        with Guest(cmdline=init_cmdline("hostile_disk", [name]), disk=False,
                   extra_args=blkdebug_drive(tmp, img, sectors, event)) as g:
            status = g.wait_exit(timeout)
            text = judge(g, "hostile_disk", status)
        verdict(text, img, tmp)


def first_fat(vol):
    return range(vol.reserved, vol.reserved + vol.fat_sectors)


@systest("disk_fat_write_errors_turn_the_volume_read_only", timeout=200,
         long=True)
def _():
    def verdict(text, img, tmp):
        check(re.search(r"fat: writing the FAT at sector \d+ failed \(error "
                        r"-5\): the volume is now read-only", text),
              "no read-only line")
        check(len(re.findall(r"the volume is now read-only", text)) == 1,
              "the read-only line is not said once")
        check("power: sync failed (-5)" in text, "power-off did not report")
        # Nothing reached the disk after the failure: the FATs still agree,
        # no entry points at a free cluster, the clean bit is as it was.
        fsck_clean(img, tmp)
    scenario("fat-write", first_fat, "write_aio", verdict)


@systest("disk_fat_read_errors_use_the_second_copy", timeout=200, long=True)
def _():
    def verdict(text, img, tmp):
        check(re.search(r"fat: FAT sector \d+ unreadable \(error -5\); read "
                        r"from FAT copy 2 instead", text), "no fallback line")
        check("read-only" not in text, "the volume turned read-only")
        fsck_clean(img, tmp)
    scenario("fat-read", first_fat, "read_aio", verdict)


@systest("disk_directory_write_errors_lose_only_the_new_file", timeout=200,
         long=True)
def _():
    def scratch_sectors(vol):
        return vol.sectors_of(vol.lookup(vol.root, "SCRATCH    "))

    def verdict(text, img, tmp):
        check(re.search(r"fat: writing the data area at sector \d+ failed",
                        text), "no read-only line for the directory")
        # The FAT took the new file's clusters; its entry never came: lost
        # clusters, and a volume left marked for fsck. Nothing else.
        fsck_clean(img, tmp, dirty=True, allow=LOST)
    scenario("dir-write", scratch_sectors, "write_aio", verdict)


@systest("disk_data_read_errors_are_eio", timeout=200, long=True)
def _():
    def readme_sectors(vol):
        return vol.sectors_of(vol.lookup(vol.root, "README  TXT"))

    def verdict(text, img, tmp):
        check("read-only" not in text,
              "a read error made the volume read-only")
        fsck_clean(img, tmp)
    scenario("data-read", readme_sectors, "read_aio", verdict)


@systest("disk_data_write_errors_lose_only_that_write", timeout=200,
         long=True)
def _():
    def readme_sectors(vol):
        return vol.sectors_of(vol.lookup(vol.root, "README  TXT"))

    def verdict(text, img, tmp):
        check(re.search(r"fat: writing the data area at sector \d+ failed",
                        text), "no read-only line for the file's data")
        check(len(re.findall(r"the volume is now read-only", text)) == 1,
              "the read-only line is not said once")
        # The failed write changed no cluster, chain or size: README.txt is
        # as it was, and fsck finds nothing else. Whether FAT[1]'s "in use"
        # bit reached the disk before the data failed depends on when the
        # flusher woke, so either state of it is accepted.
        check(mtools("mtype", img, "::/README.txt") ==
              mtools("mtype", DISK, "::/README.txt"),
              "README.txt changed on the disk")
        try:
            fsck_clean(img, tmp)
        except TestFailure as e:
            check("not cleanly unmounted" in str(e), str(e))
            fsck_clean(img, tmp, dirty=True)
    scenario("data-write", readme_sectors, "write_aio", verdict)


@systest("disk_boot_sector_read_error_boots_without_a_root", timeout=200,
         long=True)
def _():
    with scratch_dir() as tmp:
        img = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
        with Guest(disk=False,
                   extra_args=blkdebug_drive(tmp, img, [0], "read_aio")) as g:
            status = g.wait_exit(120)
            text = g.serial
        check("fat: cannot read the boot sector (error -5)" in text or
              "storage: no FAT32 volume on the disk (-5)" in text,
              "no line about the boot sector")
        check(not re.search(r"^PANIC", text, re.M), "the kernel died")
        check(status == EXIT_POWEROFF, f"QEMU status {status}, not a clean "
              "power-off")


@systest("disk_write_errors_at_boot_are_said_once", timeout=200, long=True)
def _():
    """The first FAT's writes fail from the start, and nothing made /dev:
    the boot's mkdir fails and says so, the volume turns read-only, and
    the flusher, retrying every second for three seconds, adds no line."""
    with scratch_dir() as tmp:
        img = os.path.join(tmp, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
        mtools("mrd", img, "::/dev")  # so that the boot makes it
        vol = Volume(img)
        sectors = list(first_fat(vol))
        vol.f.close()
        drive = blkdebug_drive(tmp, img, sectors, "write_aio")
        with Guest(cmdline="init=/bin/sleep,3", disk=False,
                   extra_args=drive) as g:
            status = g.wait_exit(120)
            text = g.serial
        check(re.search(r"vfs: cannot make /dev on the root volume to mount "
                        r"over \(error -5\)", text), "no line about /dev")
        check(len(re.findall(r"the volume is now read-only", text)) == 1,
              "the read-only line is not said once")
        fails = re.findall(r"storage: sync failed", text)
        check(len(fails) == 1, f"{len(fails)} sync failure lines, not 1")
        check(not re.search(r"^PANIC", text, re.M), "the kernel died")
        check(status == EXIT_POWEROFF, f"QEMU status {status}, not a clean "
              "power-off")
