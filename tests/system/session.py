"""Shell sessions over the serial console, for the tests of /bin/sh and
the programs in /bin.

`Session` boots Ember with no init= option, so init starts /bin/sh on the
console; bytes written to QEMU's serial port reach the terminal as typed
keys (Enter is "\\r"), and everything the terminal prints comes back on
the same port. `run()` types one line and waits for the next prompt, and
returns what was printed in between, minus the echo of the line itself,
the terminal's escape sequences and the kernel's log lines, so a test
compares plain text.

`disk_with()` makes a copy of build/disk.img with extra files in /scratch
(mtools), for tests that need inputs or scripts on the disk.

See: tests/system/README.md, docs/userland.md
"""
import os
import re
import shutil
import subprocess
import time

from harness import BUILD, DISK, EXIT_POWEROFF, Guest, check, mtools  # noqa: F401

PROMPT = r"\$ \x1b\[K$"  # the line editor draws "<cwd> $ " then ESC [ K
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
KLOG = re.compile(r"^\[\s*\d+\.\d+\] ")  # kernel log lines share the port


def disk_with(name, files):
    """A copy of build/disk.img with files ({name: bytes}) in /scratch.
    The caller removes it."""
    img = os.path.join(BUILD, "tests", f"{name}.disk.img")
    os.makedirs(os.path.dirname(img), exist_ok=True)
    subprocess.run(["cp", "--sparse=always", DISK, img], check=True)
    tmp = img + ".files"
    os.makedirs(tmp, exist_ok=True)
    try:
        paths = []
        for fname, data in files.items():
            paths.append(os.path.join(tmp, fname))
            with open(paths[-1], "wb") as f:
                f.write(data)
        if paths:  # one mcopy for them all: each call rereads the FAT
            mtools("mcopy", img, "-o", *paths, "::/scratch/")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return img


def script_results(name, files, script, timeout):
    """Boots Ember once with files ({name: bytes}) and run.sh (the script's
    text) in /scratch, init running /bin/sh on it, and copies the guest's
    /results folder out when it has powered off. Returns the host folder
    holding results/; the caller removes it."""
    img = disk_with(name, dict(files, **{"run.sh": script}))
    out = img + ".results"
    try:
        cmd = "init=/bin/init,-C,/scratch,/bin/sh,/scratch/run.sh"
        with Guest(cmdline=cmd, disk_image=img) as g:
            status = g.wait_exit(timeout)
            check("init: /bin/sh exited with status 0" in g.serial,
                  "the script did not finish")
            check(status == EXIT_POWEROFF, f"QEMU status {status}")
            g.keep_disk(img)
        os.makedirs(out, exist_ok=True)
        mtools("mcopy", img, "-s", "-n", "::/results", out)
        return out
    finally:
        os.remove(img)


class Session:
    """A booted Ember with its shell at a prompt. Use as a context manager."""

    def __init__(self, disk_image=None, name=None):
        self.guest = Guest(disk_image=disk_image, name=name)

    def __enter__(self):
        self.guest.start()
        self.guest.wait_serial(PROMPT, timeout=60)
        return self

    def __exit__(self, *exc):
        self.guest.stop()
        return False

    def raw(self):
        with self.guest._cond:
            return self.guest._buf.decode(errors="replace")

    def send(self, data):
        self.guest.send_serial(data)

    def wait(self, pattern, start, timeout=20):
        return self.guest.wait_serial(pattern, timeout=timeout, start=start)

    def mark(self):
        return len(self.guest.serial)

    def run(self, line, timeout=20):
        """Types line and Enter, waits for the next prompt; returns the
        output between them as plain text (no echo, no escapes)."""
        start = self.mark()
        self.send(line.encode() + b"\r")
        m = self.wait(PROMPT, start, timeout)
        text = self.guest.serial[start:m.start()]
        text = ESCAPES.sub("", text)
        # The first line is the echo of what was typed; the last, the
        # start of the next prompt.
        lines = text.split("\n")[1:-1]
        lines = [ln for ln in lines if not KLOG.match(ln)]
        return "".join(ln + "\n" for ln in lines)

    def expect(self, line, want, timeout=20):
        got = self.run(line, timeout)
        check(got == want, f"{line!r}: got {got!r}, want {want!r}")

    def pause(self, seconds):
        time.sleep(seconds)

