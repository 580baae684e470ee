#!/usr/bin/env python3
"""`make bench-linux`: the user-mode benchmarks on Linux in the same QEMU.

Issue #7 asks Ember to beat Debian's Linux 6.1 booted in the same QEMU
configuration (TCG, -machine pc, 256 MiB). This boots Debian's cloud
kernel (fetched once with `apt-get download` into cache/linux/ and
unpacked with dpkg-deb) with an initramfs that holds only the same
static benchmark program as /init (build/tests/user/bin/bench_user) and
/dev/console, and prints its figures prefixed `linux_`. The initramfs is
written here in the cpio "newc" format (standard library only).

Usage: linux-bench.py
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CACHE = os.path.join(ROOT, "cache", "linux")
BUILD = os.path.join(ROOT, "build", "linux-bench")
PACKAGE = "linux-image-cloud-amd64"


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


def main():
    vmlinuz = kernel()
    with open(os.path.join(ROOT, "build", "tests", "user", "bin",
                           "bench_user"), "rb") as f:
        prog = f.read()
    os.makedirs(BUILD, exist_ok=True)
    initrd = os.path.join(BUILD, "initrd.cpio")
    with open(initrd, "wb") as f:
        f.write(newc([("dev", 0o40755, b"", 0, 0),
                      ("dev/console", 0o20600, b"", 5, 1),
                      ("init", 0o100755, prog, 0, 0)]))
    p = subprocess.run(
        ["qemu-system-x86_64", "-machine", "pc", "-m", "256M", "-no-reboot",
         "-kernel", vmlinuz, "-initrd", initrd, "-display", "none",
         "-append", "console=ttyS0 quiet panic=-1", "-serial", "stdio"],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    text = p.stdout.decode(errors="replace")
    figures = re.findall(r"^bench: (\w+): (.+?)\r?$", text, re.M)
    for name, value in figures:
        print(f"linux_{name}: {value}")
    return 0 if figures else 1


if __name__ == "__main__":
    sys.exit(main())
