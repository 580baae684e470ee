"""System tests of the shell's line editor and its interactive parts, over
the serial console: a line longer than the terminal is wide, moving by
UTF-8 characters, ctrl-c at the "> " prompt, and kill %1.

The long-line test replays what the editor wrote to the serial port
through a small terminal model (VT: printable characters with the
deferred wrap xterm and Ember's console share, CR, LF, backspace and the
CSI sequences A B C D J K) at the console's width, read from the boot
log, and checks the screen it leaves: the edited line exactly once,
wrapped over its rows, and nothing stale around it (the bug of #18 left a
copy of the line's last row at each cursor move).

See: tests/system/session.py, docs/userland.md
"""
import re

from harness import check, systest
from session import Session

LEFT = b"\x1b[D"
RIGHT = b"\x1b[C"


class VT:
    """A terminal as tall as needed: rows of characters and a cursor."""

    def __init__(self, cols, first_row=""):
        self.cols = cols
        self.rows = [list(first_row)]
        self.row, self.col = 0, len(first_row)

    def _line(self):
        while len(self.rows) <= self.row:
            self.rows.append([])
        line = self.rows[self.row]
        while len(line) < self.cols:
            line.append(" ")
        return line

    def put(self, ch):
        if self.col >= self.cols:  # the wrap deferred until now
            self.row, self.col = self.row + 1, 0
        self._line()[self.col] = ch
        self.col += 1

    def csi(self, n, final):
        col = min(self.col, self.cols - 1)
        if final == "A":
            self.row = max(self.row - n, 0)
        elif final == "B":
            self.row += n
        elif final == "C":
            self.col = min(col + n, self.cols - 1)
        elif final == "D":
            self.col = max(col - n, 0)
        elif final == "K":
            self._line()[col:] = [" "] * (self.cols - col)
        elif final == "J":
            self._line()[col:] = [" "] * (self.cols - col)
            del self.rows[self.row + 1:]

    def feed(self, text):
        i = 0
        while i < len(text):
            c = text[i]
            m = re.match(r"\x1b\[(\d*)([A-Za-z])", text[i:])
            if m:
                self.csi(int(m.group(1) or 1), m.group(2))
                i += m.end()
                continue
            if c == "\r":
                self.col = 0
            elif c == "\n":
                self.row += 1
            elif c == "\b":
                self.col = max(min(self.col, self.cols - 1) - 1, 0)
            elif c >= " ":
                self.put(c)
            i += 1

    def text(self):
        return ["".join(r).rstrip() for r in self.rows]


def console_cols(serial):
    m = re.search(r"console (\d+)x\d+", serial)
    return int(m.group(1)) if m else 80


@systest("sh_edit_long_line", timeout=90)
def _():
    with Session() as s:
        s.run("cd /")
        cols = console_cols(s.raw())
        words = " ".join(f"w{i:03d}" for i in range(70))  # 349 columns
        start, raw_start = s.mark(), len(s.raw())
        s.send(b"echo " + words.encode())
        s.wait(re.escape(words[-8:]) + "$", start)
        # Into the middle, by rows and across them: type, erase, move on.
        s.send(LEFT * 150 + b"X" + LEFT * 40 + b"\x7f" + b"\x01" +
               RIGHT * 5 + b"Y" + b"\x05" + b"Z")
        s.wait(r"Z$", start)
        s.send(b"\r")
        s.wait(r"\$ \x1b\[K$", start)
        vt = VT(cols, "/ $ ")
        vt.feed(s.raw()[raw_start:])
        line = list("echo " + words)
        n = len(line)
        line.insert(n - 150, "X")
        del line[n - 190]  # the backspace, 40 further left
        line.insert(5, "Y")
        edited = "".join(line) + "Z"
        shown = "/ $ " + edited
        want = [shown[i:i + cols] for i in range(0, len(shown), cols)]
        screen = vt.text()
        check(screen[:len(want)] == want,
              f"the edited line on screen: {screen[:len(want) + 1]!r}, "
              f"want {want!r}")
        # then what echo printed, and the next prompt: nothing stale
        rest = screen[len(want):]
        printed = "".join(rest[:-1]).replace(" ", "")
        check(printed == edited[len("echo "):].replace(" ", ""),
              f"the command printed {rest!r}")
        check(rest[-1] == "/ $", f"stale rows below the line: {rest!r}")


@systest("sh_edit_utf8_and_continuation", timeout=60)
def _():
    with Session() as s:
        # Left four times from the end of "h\u00e9llo" lands before the
        # \u00e9, one character each, not one byte: backspace then erases
        # the h.
        s.expect("echo h\u00e9llo" + "\x1b[D" * 4 + "\x7fH", "H\u00e9llo\n")
        s.expect("echo \u20ac\x1b[D\x1b[3~x", "x\n")  # delete takes 3 bytes
        # ctrl-c at the "> " prompt drops the command being continued.
        start = s.mark()
        s.send(b"if true; then\r")
        s.wait(r"> \x1b\[K$", start)
        s.send(b"\x03")
        s.wait(r"\$ \x1b\[K$", start)
        s.expect("echo after", "after\n")
        job = s.run("sleep 30 &")
        check(job.startswith("[1] "), f"no job line: {job!r}")
        s.expect("kill %1; wait %1; echo $?", "143\n")
