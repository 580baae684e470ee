#!/usr/bin/env python3
"""`make bench-linux` and `make bench-compare`: Ember's user-mode benchmarks
on Debian's Linux in the same QEMU, on the same kind of disk.

Issues #7 and #15 measure Ember against Debian's Linux 6.1 booted in the
same QEMU configuration (TCG, -machine pc, 256 MiB) doing the same work.
This boots Debian's cloud kernel (fetched once with `apt-get download` into
cache/linux/ and unpacked with dpkg-deb) with a copy of Ember's own disk
image (build/disk.img: MBR, one FAT32 partition at 1 MiB, 4 KiB clusters)
on the IDE primary master, as Ember has it. The initramfs, written here in
the cpio "newc" format, holds Debian's static busybox (package
busybox-static) as the shell and the tools, and the modules the disk needs
from the same linux-image package: ata_piix, sd_mod, vfat and what each
one's modinfo says it depends on, loaded in that order with insmod. /init
mounts the partition at /mnt and runs the same static benchmark program
Ember runs, from the partition (so fork+exec reads it from there), in
/mnt/scratch: tests/user/bench_user.c, which drops the caches
(/proc/sys/vm/drop_caches) before its cold read and its cp.

Without options it prints Linux's figures prefixed `linux_`. With
`--compare N` it boots Ember (the user-mode benchmarks, then a boot to the
shell's prompt) and Linux alternately N times and prints one table: each
figure's median and spread on both sides and the ratio of the medians
(Ember / Linux; above 1 is Ember ahead for MB/s, behind for times), and
the host's one-minute load average after each side's runs.

Usage: linux-bench.py [--compare N]
See: docs/storage.md, tests/system/bench.py
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CACHE = os.path.join(ROOT, "cache", "linux")
BUILD = os.path.join(ROOT, "build", "linux-bench")
DISK = os.path.join(ROOT, "build", "disk.img")
PACKAGE = "linux-image-cloud-amd64"
BUSYBOX = "/bin/busybox"  # busybox-static, tools/deps.sh
# What the disk needs, in the order given; dependencies go first.
WANTED_MODULES = ["ata_piix", "sd_mod", "vfat", "nls_cp437", "nls_ascii",
                  "nls_utf8"]
INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "bench: init_uptime: $(cut -d' ' -f1 /proc/uptime) s"
for m in {modules}; do insmod /lib/$m.ko || echo "bench: insmod $m failed"; done
for i in $(seq 100); do [ -b /dev/sda1 ] && break; sleep 0.1; done
mount -t vfat /dev/sda1 /mnt || echo "bench: no /dev/sda1"
cd /mnt/scratch && /mnt/tests/bench_user /mnt/scratch
cd /
umount /mnt
poweroff -f
"""


def kernel():
    found = glob.glob(os.path.join(CACHE, "x", "boot", "vmlinuz-*"))
    if found:
        return found[0]
    os.makedirs(CACHE, exist_ok=True)
    dep = subprocess.run(["apt-cache", "depends", PACKAGE], check=True,
                         capture_output=True, text=True).stdout
    image = re.search(r"Depends: (linux-image-\S+)", dep).group(1)
    subprocess.run(["apt-get", "download", image], cwd=CACHE, check=True)
    deb = glob.glob(os.path.join(CACHE, image + "_*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, os.path.join(CACHE, "x")],
                   check=True)
    os.remove(deb)
    return glob.glob(os.path.join(CACHE, "x", "boot", "vmlinuz-*"))[0]


def modules():
    """The wanted modules and their dependencies, dependencies first, as
    (name, path) pairs. A module's dependencies are its modinfo's
    `depends=` string, in its .modinfo section."""
    paths = {}
    for p in glob.glob(os.path.join(CACHE, "x", "lib", "modules", "*",
                                    "kernel", "**", "*.ko"), recursive=True):
        paths[os.path.basename(p)[:-3].replace("-", "_")] = p
    order = []

    def add(name):
        name = name.replace("-", "_")
        if name in order:
            return
        with open(paths[name], "rb") as f:
            m = re.search(rb"\0depends=([^\0]*)\0", f.read())
        for dep in (m.group(1).decode().split(",") if m else []):
            if dep:
                add(dep)
        order.append(name)
    for name in WANTED_MODULES:
        add(name)
    return [(name, paths[name]) for name in order]


def newc(entries):
    """entries: (name, mode, data, rdev_major, rdev_minor)."""
    out = bytearray()
    for ino, (name, mode, data, major, minor) in enumerate(
            entries + [("TRAILER!!!", 0, b"", 0, 0)], 1):
        nb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor,
                  len(nb), 0]
        out += b"070701" + b"".join(b"%08x" % f for f in fields) + nb
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def initrd():
    mods = modules()
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    entries = [("dev", 0o40755, b"", 0, 0),
               ("dev/console", 0o20600, b"", 5, 1),
               ("proc", 0o40755, b"", 0, 0), ("sys", 0o40755, b"", 0, 0),
               ("mnt", 0o40755, b"", 0, 0), ("lib", 0o40755, b"", 0, 0),
               ("bin", 0o40755, b"", 0, 0),
               ("bin/busybox", 0o100755, busybox, 0, 0),
               ("init", 0o100755, INIT.format(
                   modules=" ".join(n for n, _ in mods)).encode(), 0, 0)]
    for name, path in mods:
        with open(path, "rb") as f:
            entries.append((f"lib/{name}.ko", 0o100644, f.read(), 0, 0))
    os.makedirs(BUILD, exist_ok=True)
    path = os.path.join(BUILD, "initrd.cpio")
    with open(path, "wb") as f:
        f.write(newc(entries))
    return path


def figures(text, prefix=""):
    """{name: (value, unit)} from the `bench: name: value unit` lines."""
    out = {}
    for name, value, unit in re.findall(
            r"^bench: (\w+): ([\d.]+) ?([^\r\n]*?)\r?$", text, re.M):
        out[prefix + name] = (float(value), unit)
    return out


def run_linux(vmlinuz, rd):
    """One Linux boot on a fresh copy of the disk; its figures."""
    with tempfile.TemporaryDirectory() as d:
        disk = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always", DISK, disk], check=True)
        p = subprocess.run(
            ["qemu-system-x86_64", "-machine", "pc", "-m", "256M",
             "-no-reboot", "-kernel", vmlinuz, "-initrd", rd,
             "-display", "none", "-append", "console=ttyS0 quiet panic=-1",
             "-serial", "stdio", "-drive", f"file={disk},format=raw,if=ide,"
             "index=0,media=disk,cache=unsafe"],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=900)
    text = p.stdout.decode(errors="replace")
    for line in re.findall(r"^bench: (?:insmod|no ).*$", text, re.M):
        print(line, file=sys.stderr)
    return figures(text)


def run_ember():
    """Ember's user-mode benchmarks and its boot to the shell's prompt."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
    from harness import Guest, set_current_test
    set_current_test("bench-compare")
    with Guest(cmdline="init=/bin/init,-C,/scratch,/tests/bench_user") as g:
        g.wait_exit(900)
        text = g.serial
    with Guest(cmdline="loglevel=3") as g:
        m = g.wait_serial(r"tty: first read, by pid \d+, (\d+) ms after "
                          r"kernel entry", timeout=120)
        text += f"\nbench: boot_to_prompt: {m.group(1)} ms\n"
    return figures(text)


def spread(values):
    return (f"{statistics.median(values):9.2f} "
            f"[{min(values):.4g}-{max(values):.4g}]")


def compare(rounds, vmlinuz, rd):
    ember, linux = {}, {}
    for r in range(rounds):
        for side, run in (("ember", run_ember),
                          ("linux", lambda: run_linux(vmlinuz, rd))):
            print(f"round {r + 1}/{rounds}: {side}", file=sys.stderr)
            got = run()
            # The host's load beside each run: these figures move with it.
            got["host_load_1min"] = (os.getloadavg()[0], "load")
            into = ember if side == "ember" else linux
            for name, (value, unit) in got.items():
                into.setdefault(name, ([], unit))[0].append(value)
    print(f"{'figure':30} {'unit':6} {'Ember median [min-max]':28} "
          f"{'Linux median [min-max]':28} Ember/Linux")
    for name in ember:
        values, unit = ember[name]
        unit = unit.split(" ")[0]
        if name == "host_load_1min":
            lv = linux[name][0]
            print(f"{name:30} {unit:6} {spread(values):28} {spread(lv):28} -")
            continue
        if name == "boot_to_prompt":
            other = linux.get("init_uptime")
            lv = [v * 1000 for v in other[0]] if other else None
        else:
            lv = linux[name][0] if name in linux else None
        ratio = (f"{statistics.median(values) / statistics.median(lv):.2f}"
                 if lv and statistics.median(lv) else "-")
        print(f"{name:30} {unit:6} {spread(values):28} "
              f"{spread(lv) if lv else '-':28} {ratio}")
    print(f"({rounds} alternating rounds; boot_to_prompt on Linux is the "
          "uptime at which /init starts)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", type=int, metavar="N", default=0)
    a = ap.parse_args()
    if not shutil.which("qemu-system-x86_64") or not os.path.exists(BUSYBOX):
        print("linux-bench: needs qemu-system-x86_64 and busybox-static "
              "(tools/deps.sh)", file=sys.stderr)
        return 1
    vmlinuz = kernel()
    rd = initrd()
    if a.compare:
        compare(a.compare, vmlinuz, rd)
        return 0
    got = run_linux(vmlinuz, rd)
    for name, (value, unit) in got.items():
        print(f"linux_{name}: {value:.2f} {unit}")
    return 0 if got else 1


if __name__ == "__main__":
    sys.exit(main())
