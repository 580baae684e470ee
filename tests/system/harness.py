"""The QEMU test harness: boot Ember, talk to it, judge the result.

A system test is a function registered with @systest. It boots one or more
guests with `Guest(...)`, reads and writes the serial port, sends keys and
mouse events through QMP, takes screendumps, and raises TestFailure (or
AssertionError) when something is wrong. The verdict of a guest comes from
QEMU's isa-debug-exit device: Ember writes a code, QEMU exits with
(code << 1) | 1, and the codes are read from kernel/drivers/debugexit.h so
they are written in one place. A plain power-off (status 0) or a QEMU that
failed to start (1) never counts as a pass.

Every guest boots the one ISO, build/ember.iso; options reach the kernel
through QEMU's fw_cfg (`opt/ember/cmdline`), and `harness` is always among
them, with `tty=serial` unless a test names another tty= (the terminal's
output then reaches the serial port as well as the screen). Each guest gets a fresh copy of build/disk.img attached with
cache=unsafe. Standard library only.

See: tests/system/README.md
"""
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
ISO = os.path.join(BUILD, "ember.iso")
DISK = os.path.join(BUILD, "disk.img")
OVMF = "/usr/share/ovmf/OVMF.fd"
LOG_DIR = os.path.join(BUILD, "tests", "logs")
READER_DRAIN_S = 10  # most seconds to wait for the serial after QEMU ends


def _exit_codes():
    path = os.path.join(ROOT, "kernel", "drivers", "debugexit.h")
    codes = {}
    with open(path) as f:
        for m in re.finditer(r"#define DEBUGEXIT_(\w+)\s+(0x[0-9a-fA-F]+)",
                             f.read()):
            codes[m.group(1)] = (int(m.group(2), 16) << 1) | 1
    return codes


EXIT = _exit_codes()
EXIT_PASS = EXIT["PASS"]          # 33
EXIT_FAIL = EXIT["FAIL"]          # 35
EXIT_POWEROFF = EXIT["POWEROFF"]  # 37


def _partition_start():
    """The FAT32 partition's first sector, as tools/mkdisk.sh writes it."""
    with open(os.path.join(ROOT, "tools", "mkdisk.sh")) as f:
        return int(re.search(r"^start_sector=(\d+)$", f.read(), re.M)
                   .group(1))


SECTOR_BYTES = 512
PART_START_SECTOR = _partition_start()              # 2048
PART_OFFSET = PART_START_SECTOR * SECTOR_BYTES      # bytes: 1 MiB
MTOOLS_ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")


class TestFailure(Exception):
    """A test's verdict: failed, with the reason as the message."""


# ---- registration ----

TESTS = []
_current = threading.local()


class SysTest:
    def __init__(self, name, fn, timeout, solo, long):
        self.name, self.fn, self.timeout = name, fn, timeout
        self.solo, self.long = solo, long


def systest(name, timeout=120, solo=False, long=False):
    """Registers a system test. solo: run with no other QEMU beside it
    (timing checks). long: only in `make test-long`."""
    def wrap(fn):
        TESTS.append(SysTest(name, fn, timeout, solo, long))
        return fn
    return wrap


def current_test_name():
    return getattr(_current, "name", "adhoc")


def set_current_test(name):
    _current.name = name
    _current.guests = 0


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def mtools(cmd, img, *args):
    """Runs an mtools command on the FAT32 partition of disk image img;
    returns its standard output as bytes. A failure fails the test."""
    p = subprocess.run([cmd, "-i", f"{img}@@{PART_OFFSET}", *args],
                       env=MTOOLS_ENV, capture_output=True)
    check(p.returncode == 0, f"{cmd} {' '.join(args)}: "
          f"{p.stderr.decode(errors='replace').strip()}")
    return p.stdout


def mtype(img, path):
    """A file on img's FAT32 partition, as text with Python's newlines."""
    text = mtools("mtype", img, "::" + path).decode()
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---- FAT32 on a partition image ----

FAT_CLEAN_BIT = 0x08000000  # FAT[1]'s ClnShutBitMask: 1 = cleanly unmounted


def fat1_words(part):
    """Offsets of FAT[1] in each FAT copy of a FAT32 partition image."""
    with open(part, "rb") as f:
        boot = f.read(512)
    sector = int.from_bytes(boot[11:13], "little")
    reserved = int.from_bytes(boot[14:16], "little")
    fats = boot[16]
    fat_sectors = int.from_bytes(boot[36:40], "little")
    return [(reserved + k * fat_sectors) * sector + 4 for k in range(fats)]


def clean_bit(part, set_it=None):
    """FAT[1]'s clean bit in the first copy; set_it=True sets it in all."""
    with open(part, "r+b") as f:
        words = fat1_words(part)
        f.seek(words[0])
        clean = bool(int.from_bytes(f.read(4), "little") & FAT_CLEAN_BIT)
        for off in words if set_it else []:
            f.seek(off)
            v = int.from_bytes(f.read(4), "little") | FAT_CLEAN_BIT
            f.seek(off)
            f.write(v.to_bytes(4, "little"))
    return clean


FSCK_USUAL = (r"^fsck\.fat \d", r"^Leaving filesystem unchanged",
              r": \d+ files, \d+/\d+ clusters$", r"^$")


def fsck_clean(img, d, dirty=False, allow=()):
    """fsck.fat -n on img's partition finds nothing wrong. dirty: the volume
    must carry the not-cleanly-unmounted bit (the guest never shut down, or
    a write failed), which fsck.fat reports and counts as a fault; it is
    checked, then set on the copy so that fsck judges the rest. allow:
    patterns of complaints to accept (what failed writes themselves lost);
    every other line fails the test."""
    part = os.path.join(d, "part.img")
    subprocess.run(["dd", f"if={img}", f"of={part}", "bs=512",
                    f"skip={PART_START_SECTOR}", "conv=sparse", "status=none"],
                   check=True)
    clean = clean_bit(part, set_it=dirty)
    check(clean != dirty, "the volume is marked " +
          ("clean" if dirty else "not cleanly unmounted"))
    p = subprocess.run(["/usr/sbin/fsck.fat", "-n", part],
                       capture_output=True, text=True)
    if p.returncode == 0:
        return p.stdout
    bad = [ln for ln in p.stdout.splitlines()
           if not any(re.search(a, ln) for a in FSCK_USUAL + tuple(allow))]
    check(allow and not bad, f"fsck.fat -n: {p.stdout.strip()[-800:]}")
    return p.stdout


# ---- images ----

class Image:
    """A screendump: width, height and RGB bytes, row by row."""

    def __init__(self, width, height, rgb):
        self.width, self.height, self.rgb = width, height, rgb

    def pixel(self, x, y):
        i = (y * self.width + x) * 3
        return tuple(self.rgb[i:i + 3])

    def save_png(self, path):
        """Writes a PNG (zlib from the standard library)."""
        import struct
        import zlib
        raw = bytearray()
        stride = self.width * 3
        for y in range(self.height):
            raw.append(0)
            raw += self.rgb[y * stride:(y + 1) * stride]

        def chunk(kind, data):
            c = struct.pack(">I", len(data)) + kind + data
            return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
        png = b"\x89PNG\r\n\x1a\n"
        png += chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height,
                                          8, 2, 0, 0, 0))
        png += chunk(b"IDAT", zlib.compress(bytes(raw), 6))
        png += chunk(b"IEND", b"")
        with open(path, "wb") as f:
            f.write(png)


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P6 <w> <h> <max>\n<bytes>
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    check(fields[0] == b"P6", "screendump is not a binary PPM")
    w, h = int(fields[1]), int(fields[2])
    return Image(w, h, data[pos:pos + w * h * 3])


# ---- QMP key names ----

# Characters to (QMP qcode, shift) for the US layout.
_SHIFTED = {'!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6',
            '&': '7', '*': '8', '(': '9', ')': '0', '_': 'minus',
            '+': 'equal', '{': 'bracket_left', '}': 'bracket_right',
            '|': 'backslash', ':': 'semicolon', '"': 'apostrophe',
            '~': 'grave_accent', '<': 'comma', '>': 'dot', '?': 'slash'}
_PLAIN = {'-': 'minus', '=': 'equal', '[': 'bracket_left',
          ']': 'bracket_right', '\\': 'backslash', ';': 'semicolon',
          "'": 'apostrophe', '`': 'grave_accent', ',': 'comma', '.': 'dot',
          '/': 'slash', ' ': 'spc', '\n': 'ret', '\t': 'tab',
          '\b': 'backspace', '\x1b': 'esc'}


def char_to_qcode(ch):
    """Returns (qcode, shift) for one character of the US layout."""
    if ch.isalpha() and ch.isascii():
        return ch.lower(), ch.isupper()
    if ch.isdigit():
        return ch, False
    if ch in _PLAIN:
        return _PLAIN[ch], False
    if ch in _SHIFTED:
        return char_to_qcode(_SHIFTED[ch])[0], True
    raise ValueError(f"no key for {ch!r}")


# ---- the guest ----

class Guest:
    """One QEMU running Ember. Use as a context manager."""

    def __init__(self, cmdline="", mem="256M", uefi=False, cpu=None,
                 disk=True, disk_image=None, extra_args=(), name=None,
                 vga="std", disk_index=0):
        # The terminal's output reaches COM1, which tests read, only with
        # tty=serial when there is a screen (docs/console.md).
        tty = "" if "tty=" in cmdline else "tty=serial "
        self.cmdline = ("harness " + tty + cmdline).strip()
        self.mem, self.uefi, self.cpu, self.vga = mem, uefi, cpu, vga
        self.want_disk, self.disk_source = disk, disk_image or DISK
        # IDE position: 0 primary master ... 3 secondary slave (the CD-ROM
        # is the secondary master, index 2).
        self.disk_index = disk_index
        self.extra_args = list(extra_args)
        _current.guests = getattr(_current, "guests", 0) + 1
        self.name = name or (current_test_name() +
                             ("" if _current.guests == 1
                              else f".{_current.guests}"))
        self.proc = None
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._qmp = None
        self._qmp_file = None
        self.tmpdir = None
        self.disk_path = None
        self.status = None

    # -- life cycle --

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        check(os.path.exists(ISO), f"{ISO} missing: run make first")
        os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
        self.tmpdir = tempfile.mkdtemp(prefix="guest-",
                                       dir=os.path.join(BUILD, "tests"))
        self.qmp_path = os.path.join(self.tmpdir, "qmp.sock")
        args = ["qemu-system-x86_64", "-machine", "pc", "-m", self.mem,
                "-no-reboot", "-boot", "d", "-cdrom", ISO,
                "-display", "none", "-vga", self.vga,
                "-serial", "stdio", "-monitor", "none",
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if self.cmdline:  # QEMU refuses an empty fw_cfg string
            args += ["-fw_cfg", "name=opt/ember/cmdline,string=" +
                     self.cmdline.replace(",", ",,")]
        if self.want_disk:
            self.disk_path = os.path.join(self.tmpdir, "disk.img")
            subprocess.run(["cp", "--sparse=always", self.disk_source,
                            self.disk_path], check=True)
            args += ["-drive", f"file={self.disk_path},format=raw,if=ide,"
                     f"index={self.disk_index},media=disk,cache=unsafe"]
        if self.uefi:
            args += ["-bios", OVMF]
        if self.cpu:
            args += ["-cpu", self.cpu]
        args += self.extra_args
        self.args = args
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self._reader_thread = threading.Thread(target=self._reader,
                                               daemon=True)
        self._reader_thread.start()
        self._stderr = b""
        threading.Thread(target=self._err_reader, daemon=True).start()

    def _reader(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            with self._cond:
                self._buf += chunk
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _err_reader(self):
        self._stderr = self.proc.stderr.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self._qmp:
            self._qmp.close()
        os.makedirs(LOG_DIR, exist_ok=True)
        with open(os.path.join(LOG_DIR, self.name + ".log"), "w") as f:
            f.write(" ".join(self.args) + "\n\n" + self.serial)
            if self._stderr:
                f.write("\n--- qemu stderr ---\n" +
                        self._stderr.decode(errors="replace"))
        if self.tmpdir and not os.environ.get("EMBER_KEEP_GUESTS"):
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def keep_disk(self, dest):
        """Copies the guest's disk image out (call after wait_exit)."""
        shutil.copyfile(self.disk_path, dest)

    # -- serial --

    @property
    def serial(self):
        with self._cond:
            return self._buf.decode(errors="replace").replace("\r", "")

    def wait_serial(self, pattern, timeout=30, start=0):
        """Waits until the serial text (from offset start) matches the regex
        pattern; returns the match. Raises TestFailure on timeout or exit."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                text = self._buf.decode(errors="replace").replace("\r", "")
                m = rx.search(text, start)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TestFailure(f"timed out after {timeout}s waiting "
                                      f"for /{pattern}/ on serial")
                if self.proc.poll() is not None and not self._reader_alive():
                    raise TestFailure(f"guest exited ({self.proc.returncode})"
                                      f" before /{pattern}/ appeared")
                self._cond.wait(min(left, 0.2))

    def _reader_alive(self):
        return self.proc.stdout and not self.proc.stdout.closed and \
            self.proc.poll() is None

    def send_serial(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    # -- exit --

    def wait_exit(self, timeout=60):
        """Waits for QEMU to end; returns its exit status. A hang is a
        TestFailure (the guest is killed)."""
        try:
            self.status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise TestFailure(f"guest did not exit within {timeout}s")
        # Let the reader drain the pipe: it ends at QEMU's end of file. A
        # fixed short sleep lost the serial's tail on a loaded host.
        self._reader_thread.join(READER_DRAIN_S)
        return self.status

    def expect_exit(self, status, timeout=60):
        got = self.wait_exit(timeout)
        check(got == status, f"QEMU exit status {got}, expected {status}")

    # -- QMP --

    def _qmp_connect(self):
        deadline = time.monotonic() + 10
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.qmp_path)
                break
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise TestFailure("cannot connect to QMP")
                time.sleep(0.05)
        self._qmp = s
        self._qmp_file = s.makefile("rwb")
        json.loads(self._qmp_file.readline())  # greeting
        self._qmp_send("qmp_capabilities")

    def _qmp_send(self, cmd, args=None):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self._qmp_file.write(json.dumps(msg).encode() + b"\n")
        self._qmp_file.flush()
        while True:
            line = self._qmp_file.readline()
            if not line:
                raise TestFailure("QMP connection closed")
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise TestFailure(f"QMP {cmd}: {reply['error']}")

    def qmp(self, cmd, **args):
        """Sends one QMP command. If the guest ends while the command is on
        its way (a test that exits on the first key of a press/release
        pair), returns None instead of failing: the exit status judges."""
        try:
            if not self._qmp:
                self._qmp_connect()
            return self._qmp_send(cmd, args)
        except (OSError, TestFailure):
            time.sleep(0.2)
            if self.proc.poll() is not None:
                return None
            raise

    def screendump(self, path=None):
        """Returns the screen as an Image (and keeps the PPM at path)."""
        path = path or os.path.join(self.tmpdir, "screen.ppm")
        self.qmp("screendump", filename=path)
        return read_ppm(path)

    def key(self, qcode, down):
        self.qmp("input-send-event", events=[{
            "type": "key", "data": {"down": down,
                                    "key": {"type": "qcode", "data": qcode}}}])

    def tap(self, qcode, shift=False, ctrl=False):
        """Presses and releases one key, one event per QMP command (QEMU's
        PS/2 queue holds 16 bytes; see tests/system/README.md)."""
        if ctrl:
            self.key("ctrl", True)
        if shift:
            self.key("shift", True)
        self.key(qcode, True)
        self.key(qcode, False)
        if shift:
            self.key("shift", False)
        if ctrl:
            self.key("ctrl", False)

    def mouse_move(self, dx, dy):
        self.qmp("input-send-event", events=[
            {"type": "rel", "data": {"axis": "x", "value": dx}},
            {"type": "rel", "data": {"axis": "y", "value": dy}}])

    def mouse_button(self, button, down):
        self.qmp("input-send-event", events=[
            {"type": "btn", "data": {"down": down, "button": button}}])


# ---- in-kernel self-tests ----

def run_ktests(spec, timeout=120, **guest_kwargs):
    """Boots with ktest=spec and returns one (name, ok, detail) per test the
    kernel ran; a boot that ran none, crashed or hung is one failure."""
    results = []
    with Guest(cmdline=f"ktest={spec} " + guest_kwargs.pop("cmdline", ""),
               **guest_kwargs) as g:
        try:
            status = g.wait_exit(timeout)
        except TestFailure as e:
            status = None
            results.append(("boot", False, str(e)))
        text = g.serial
    seen = re.findall(r"^ktest: (PASS|FAIL) (\S+)$", text, re.M)
    for verdict, name in seen:
        detail = ""
        if verdict == "FAIL":
            body = text.split(f"ktest: RUN {name}\n", 1)[-1]
            detail = "; ".join(re.findall(r"^ktest: check failed: (.*)$",
                                          body.split(f"ktest: FAIL {name}")[0],
                                          re.M)) or "failed"
        results.append((name, verdict == "PASS", detail))
    summary = re.search(r"^ktest: (\d+) passed, (\d+) failed$", text, re.M)
    if not seen:
        results.append(("ktests", False, f"no ktest matched {spec!r} "
                        f"(exit {status})"))
    elif not summary:
        running = re.findall(r"^ktest: RUN (\S+)$", text, re.M)
        results.append((running[-1] if running else "ktests", False,
                        f"kernel died mid-test (exit {status})"))
    elif status is not None:
        want = EXIT_FAIL if int(summary.group(2)) else EXIT_PASS
        if status != want:
            results.append(("exit-status", False,
                            f"exit {status}, expected {want}"))
    return results


@contextlib.contextmanager
def scratch_dir():
    d = tempfile.mkdtemp(prefix="scratch-", dir=os.path.join(BUILD, "tests"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)
