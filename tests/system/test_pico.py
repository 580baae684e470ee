"""System tests of /bin/pico: keys typed over the serial console, the
saved file read back on the host with mtools and compared byte for byte.

pico runs as init's only command (init=/bin/init,-C,/,/bin/pico,FILE), so
when it exits init syncs the disk and powers off, and the host reads the
file from the guest's disk image. Keys go in as the bytes an xterm sends
(the serial port feeds the terminal unchanged): text a line at a time,
each time waiting for the status bar to show the cursor on the next line,
so the terminal's input buffer never overflows and each step is seen on
screen. The expected file is computed by applying the same edits to a
list of lines in Python.

See: tests/system/README.md, docs/userland.md
"""
import os
import re
import time

from harness import EXIT_POWEROFF, Guest, check, systest
from session import PROMPT, Session, disk_with, mtools

UP, DOWN, HOME, END = b"\x1b[A", b"\x1b[B", b"\x1b[H", b"\x1b[F"
PGUP, PGDN, DELETE = b"\x1b[5~", b"\x1b[6~", b"\x1b[3~"
CTRL_K, CTRL_U, CTRL_W, CTRL_S, CTRL_X = b"\x0b", b"\x15", b"\x17", \
    b"\x13", b"\x18"
TEXT_ROWS = 46  # 48 rows less the status bar and the message row


class Pico:
    """pico running as init's command in a guest; keys and waits."""

    def __init__(self, g):
        self.g = g
        self.mark = 0

    def keys(self, data, wait=None, timeout=20):
        """Sends data, then waits for the regex wait to appear after it."""
        self.mark = len(self.g.serial)
        self.g.send_serial(data)
        if wait:
            self.g.wait_serial(wait, timeout=timeout, start=self.mark)

    def at(self, line, total, col):
        return rf"line {line}/{total}, col {col}(?!\d)"


def run_pico(img, path, drive, saved=None):
    """Boots img with pico editing path ("": a new buffer), lets drive(p)
    type, and returns the bytes of the file saved (path unless saved names
    another) as mtools reads them after the power-off."""
    cmd = "init=/bin/init,-C,/,/bin/pico" + (f",{path}" if path else "")
    with Guest(cmdline=cmd, disk_image=img) as g:
        g.wait_serial(r" pico  " + re.escape(path or "New Buffer"),
                      timeout=60)
        drive(Pico(g))
        status = g.wait_exit(30)
        check("init: /bin/pico exited with status 0" in g.serial,
              "pico did not exit with status 0")
        check(status == EXIT_POWEROFF, f"QEMU status {status}")
        g.keep_disk(img)
    return mtools("mtype", img, "::" + (saved or path))


def copy_disk(name):
    return disk_with(name, {})


@systest("pico_new_file", timeout=120)
def _():
    lines = [f"line {i:02d} of the notes" for i in range(60)]
    lines[7] = "\tindented by a tab"
    lines[20] = "long " + "0123456789" * 20 + " end"

    def drive(p):
        for i, text in enumerate(lines):
            p.keys(text.encode() + b"\r", p.at(i + 2, i + 2, 1))
        # A tab is drawn as spaces to column 8.
        check(re.search(r"\x1b\[\d+;1H {8}indented by a tab",
                        p.g.serial), "the tab was not drawn as 8 spaces")
        # Up 3 to line 58 (index 57), cut two lines, up 10, paste them.
        p.keys(UP * 3, p.at(58, 61, 1))
        p.keys(CTRL_K, p.at(58, 60, 1))
        p.keys(CTRL_K, p.at(58, 59, 1))
        p.keys(UP * 10, p.at(48, 59, 1))
        p.keys(CTRL_U, p.at(50, 61, 1))
        # Search for line 05, which wraps round to the top.
        p.keys(CTRL_W, r"Search:")
        p.keys(b"line 05\r", r"Search Wrapped")
        p.keys(b"X", p.at(6, 61, 2))
        # The long line: end, then a word typed past column 128.
        p.keys(PGDN + PGUP, p.at(6, 61, 2))
        p.keys(DOWN * 15 + END, p.at(21, 61, 210))
        p.keys(b"!", p.at(21, 61, 211))
        p.keys(CTRL_S, r"Wrote 60 lines")  # 60 lines, each with its \n
        # An unsaved exit asks first: cancel, then leave without saving.
        p.keys(b"lost", p.at(21, 61, 215))
        p.keys(CTRL_X, r"Save modified buffer\? \(y/n/c\)")
        p.keys(b"c", r"Cancelled")
        p.keys(CTRL_X, r"Save modified buffer\? \(y/n/c\)")
        p.keys(b"n")

    want = list(lines) + [""]
    cut = want[57:59]
    del want[57:59]
    want[47:47] = cut
    want[5] = "X" + want[5]
    want[20] += "!"
    want = "\n".join(want).encode()
    img = copy_disk("pico_new")
    try:
        got = run_pico(img, "/notes.txt", drive)
        check(got == want, f"/notes.txt differs: got {len(got)} bytes "
              f"{got[-80:]!r}, want {len(want)} bytes {want[-80:]!r}")
    finally:
        os.remove(img)


@systest("pico_edit_existing", timeout=120)
def _():
    # 100 lines, a tab, a CR and no newline at the end: kept as they are.
    lines = [f"old {i:03d}\tvalue {i * 7}" for i in range(100)]
    lines[3] = "dos line\r"
    old = "\n".join(lines).encode()

    def drive(p):
        p.keys(PGDN, p.at(TEXT_ROWS, 100, 1))
        p.keys(DOWN * 4 + END, p.at(TEXT_ROWS + 4, 100, 18))
        p.keys(b" edited", p.at(TEXT_ROWS + 4, 100, 25))
        p.keys(DOWN + CTRL_K, p.at(TEXT_ROWS + 5, 99, 1))
        p.keys(DOWN * 5 + CTRL_U, p.at(TEXT_ROWS + 11, 100, 1))
        p.keys(HOME + DELETE + DELETE + DELETE)
        p.keys(b"new", p.at(TEXT_ROWS + 11, 100, 4))
        p.keys(CTRL_S, r"Wrote 100 lines")
        p.keys(CTRL_X)

    want = list(lines)
    i = TEXT_ROWS - 1 + 4
    want[i] += " edited"
    cut = want.pop(i + 1)
    want.insert(i + 6, cut)
    want[i + 7] = "new" + want[i + 7][3:]
    want = "\n".join(want).encode()
    img = disk_with("pico_old", {"old.txt": old})
    try:
        got = run_pico(img, "/scratch/old.txt", drive)
        first = next((k for k in range(min(len(got), len(want)))
                      if got[k] != want[k]), min(len(got), len(want)))
        check(got == want, f"old.txt differs from byte {first}: got "
              f"{got[first:first + 40]!r}, want {want[first:first + 40]!r}")
    finally:
        os.remove(img)


@systest("pico_counts_lines_and_screen_columns", timeout=60)
def _():
    # A 5-line file (each line ends in a newline) is "Wrote 5 lines", not
    # 6; after a tab the column is the screen's (9), not the byte's (2).
    old = b"\tx\nb\nc\nd\ne\n"

    def drive(p):
        p.keys(b"\x1b[C", p.at(1, 6, 9))
        p.keys(b"\x1b[C", p.at(1, 6, 10))
        p.keys(b"!", p.at(1, 6, 11))
        p.keys(CTRL_S, r"Wrote 5 lines")
        p.keys(CTRL_X)

    img = disk_with("pico_counts", {"five.txt": old})
    try:
        got = run_pico(img, "/scratch/five.txt", drive)
        check(got == b"\tx!\nb\nc\nd\ne\n", f"five.txt: got {got!r}")
    finally:
        os.remove(img)


@systest("pico_no_name_asks", timeout=60)
def _():
    # Started without a file, ctrl-s asks for a name; no Enter after the
    # last line, so no newline at the end.
    def drive(p):
        p.keys(b"first\rsecond", p.at(2, 2, 7))
        p.keys(UP, p.at(1, 2, 6))
        p.keys(CTRL_S, r"File Name to Write:")
        p.keys(b"/named.txt\r", r"Wrote 2 lines")
        p.keys(CTRL_X)

    img = copy_disk("pico_noname")
    try:
        got = run_pico(img, "", drive, saved="/named.txt")
        check(got == b"first\nsecond", f"/named.txt: got {got!r}")
    finally:
        os.remove(img)


@systest("pico_from_the_shell", timeout=60)
def _():
    # Started by sh: an unsaved exit asks, and the shell gets its terminal
    # back in the mode it left it (its line editor works again).
    with Session() as s:
        p = Pico(s.guest)
        p.keys(b"pico /scratch/x.txt\r", r" pico  /scratch/x\.txt")
        p.keys(b"typed", p.at(1, 1, 6))
        p.keys(CTRL_X, r"Save modified buffer\? \(y/n/c\)")
        p.keys(b"n", PROMPT)
        s.expect("echo back; cat /scratch/x.txt",
                 "back\ncat: /scratch/x.txt: No such file or directory\n")


FONT_HEIGHT = 16  # Lat15-VGA16: the console's rows are 16 pixels


def last_text_row(img):
    """The last console row with any lit pixel (the prompt's)."""
    last = -1
    for y in range(0, img.height, 2):
        if any(img.pixel(x, y) != (0, 0, 0) for x in range(0, 400, 2)):
            last = y // FONT_HEIGHT
    return last


@systest("pico_alternate_screen", timeout=60)
def _():
    # pico draws on the alternate screen: when it exits, the shell's lines
    # above the command line are on the screen again, pixel for pixel.
    with Session() as s:
        g = s.guest
        s.run("echo line one; echo line two; ls /")
        time.sleep(0.5)
        before = g.screendump()
        row = last_text_row(before)
        check(row >= 3, f"too little on the screen before pico (row {row})")
        p = Pico(g)
        p.keys(b"pico /scratch/y.txt\r", r" pico  /scratch/y\.txt")
        time.sleep(0.5)
        during = g.screendump()
        p.keys(CTRL_X, PROMPT)
        time.sleep(0.5)
        after = g.screendump()
        top = range(0, row * FONT_HEIGHT, 3)
        differ = sum(1 for y in top for x in range(0, before.width, 3)
                     if before.pixel(x, y) != after.pixel(x, y))
        check(differ == 0, f"{differ} sampled pixels of the shell's lines "
              "differ after pico")
        drawn = sum(1 for y in top for x in range(0, before.width, 3)
                    if before.pixel(x, y) != during.pixel(x, y))
        check(drawn > 0, "pico did not draw over the shell's lines")
        s.expect("echo ok", "ok\n")


@systest("pico_by_qmp_keys", timeout=90)
def _():
    """The same editor driven by the PS/2 keyboard (QMP key events, one
    key per command): letters with shift, Enter, an arrow, End, ctrl-s
    and ctrl-x reach pico as an xterm's bytes."""
    def typed(p, text):
        for ch in text:
            p.g.tap(ch.lower(), shift=ch.isupper())

    def drive(p):
        typed(p, "Hi")
        p.g.tap("ret")
        typed(p, "there")
        p.g.wait_serial(p.at(2, 2, 6), timeout=20)
        p.g.tap("up")
        p.g.tap("end")
        p.g.tap("1", shift=True)  # "!"
        p.g.wait_serial(p.at(1, 2, 4), timeout=20)
        p.g.tap("s", ctrl=True)
        p.g.wait_serial(r"Wrote 2 lines", timeout=20)
        p.g.tap("x", ctrl=True)

    img = copy_disk("pico_qmp")
    try:
        got = run_pico(img, "/keys.txt", drive)
        check(got == b"Hi!\nthere", f"/keys.txt: got {got!r}")
    finally:
        os.remove(img)
