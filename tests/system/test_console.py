"""System tests of the framebuffer console (docs/console.md), read from
QEMU's screendumps cell by cell through the font (screen_text.py).

- console_scroll_back: `seq 1 1500`, then shift+PgUp (QMP keys) until
  the view shows lines more than 1,000 above the bottom, consecutive,
  whole half screens up; shift+PgDn comes back half a screen; new output
  returns the view to the bottom, and so does a typed key.
- console_utf8_output: printf of UTF-8 (e-acute, the euro sign), a
  character the font lacks (U+4E00) and a byte that is no UTF-8 (0xFF):
  the screen shows the characters and one replacement glyph for each of
  the last two.
- console_keymaps_by_qmp: `loadkeys` names the layout (us); with `loadkeys
  de` the keys engraved Y and Z on a US keyboard type z and y, and the
  dead keys compose (^ e is ê, ´ a is á, ` e is è, ^ space is ^, ^ x is
  ^x); with
  `loadkeys fr`, `echo héllo € café` typed through QMP keys at the AZERTY
  positions (é on the 2 key, € with AltGr on E) prints exactly that, on
  the serial line and on the screen; `loadkeys xx` fails with status 1.
- console_boot_help_and_quiet_log: an ordinary boot (loglevel=3) shows
  the help line under the log and then the prompt; the debug line the
  terminal logs at the shell's first read, after the boot, is on the
  serial port and in dmesg but not on the screen.
- console_output_ends_on_screen: the last of 3,000 lines is on the screen
  as soon as the prompt is back (lazy painting leaves nothing behind).

See: tests/system/README.md, kernel/drivers/console.c
"""
import re
import time

from harness import Guest, check, systest
from screen_text import load_psf, replacement_char, screen_rows
from session import PROMPT, Session

HALF_SCREEN = 24  # 48 rows at 1024x768: shift+PgUp moves half of them


def numbers(rows):
    """The rows that are a bare number, as ints."""
    return [int(r) for r in rows if re.fullmatch(r"\d+", r)]


def seq_on_screen(s, n):
    """`seq 1 n`; the numbers on the screen a moment after the prompt."""
    s.run(f"seq 1 {n}", timeout=60)
    # The console must show the end within a frame or a few (the guest
    # may be descheduled by a loaded host: a second of host time first).
    time.sleep(1)
    return numbers(screen_rows(s.guest.screendump()))


@systest("console_scroll_back", timeout=120)
def _():
    with Session() as s:
        g = s.guest
        bottom = seq_on_screen(s, 1500)
        check(bottom and bottom[-1] == 1500, f"bottom shows {bottom[-3:]}")
        # QEMU's PS/2 queue drops bytes past 16 (tests/system/README.md)
        # when a loaded host is slow to drain it, so the keys go ten at a
        # time until the view is over 1,000 lines up, and the check is
        # that each key that arrived moved exactly half a screen.
        for _ in range(12):
            for _ in range(10):
                g.tap("pgup", shift=True)
                time.sleep(0.05)
            time.sleep(0.5)
            back = numbers(screen_rows(g.screendump()))
            if back and 1500 - back[0] >= 1000:
                break
        check(len(back) >= 40 and back == list(range(back[0],
                                                       back[0] + len(back))),
              f"scrolled view is not consecutive lines: {back[:5]}...")
        moved = bottom[0] - back[0]
        check(moved > 0 and moved % HALF_SCREEN == 0,
              f"the view moved {moved} lines, not half screens")
        check(1500 - back[0] >= 1000,
              f"only {1500 - back[0]} lines of scroll-back")
        g.tap("pgdn", shift=True)
        time.sleep(0.5)
        down = numbers(screen_rows(g.screendump()))
        check(down[0] == back[0] + HALF_SCREEN,
              f"shift+PgDn moved to {down[0]} from {back[0]}")
        # New output returns to the bottom.
        s.run("echo fresh-output")
        time.sleep(0.5)
        rows = screen_rows(g.screendump())
        check(any(r == "fresh-output" for r in rows[-6:]),
              f"new output is not at the bottom: {rows[-4:]}")
        # So does a key that types.
        for _ in range(3):
            g.tap("pgup", shift=True)
        time.sleep(0.5)
        check(not any(r == "fresh-output" for r in
                      screen_rows(g.screendump())), "the view did not move")
        g.tap("spc")
        time.sleep(0.5)
        rows = screen_rows(g.screendump())
        check(any(r == "fresh-output" for r in rows[-6:]),
              f"a typed key did not return to the bottom: {rows[-4:]}")


@systest("console_utf8_output", timeout=60)
def _():
    with Session() as s:
        g = s.guest
        _, _, glyphs = load_psf()
        repl = replacement_char(glyphs)
        s.run(r"printf 'h\303\251llo \342\202\254 caf\303\251 "
              r"\344\270\200 \377 end\n'")
        time.sleep(0.5)
        rows = screen_rows(g.screendump())
        want = f"héllo € café {repl} {repl} end"
        check(want in rows, f"{want!r} not on the screen: {[r for r in rows if r][-3:]!r}")


# What to press (QMP key names, by US position) for each character on a
# French keyboard; "alt_r" is AltGr.
FR_KEYS = {"a": ["q"], "é": ["2"], "€": ["alt_r", "e"], " ": ["spc"]}


def press(g, keys):
    """Holds keys[:-1], taps the last one, releases the others."""
    for k in keys[:-1]:
        g.key(k, True)
    g.tap(keys[-1])
    for k in reversed(keys[:-1]):
        g.key(k, False)


def typed_line(s, keys, dead=()):
    """Presses each key group, then Enter; returns the command's output.
    QEMU's PS/2 queue drops bytes past 16 (tests/system/README.md), and a
    busy host may keep the guest from draining it for a long time, so each
    group waits for the echo of the one before. The groups whose indexes
    are in dead are dead keys, which echo nothing until the next key."""
    start = s.mark()
    for i, k in enumerate(keys):
        before = s.mark()
        press(s.guest, k)
        if i not in dead:
            s.wait(r"[\s\S]", before, timeout=20)
    s.guest.tap("ret")
    m = s.wait(PROMPT, start + 1, timeout=20)
    text = s.guest.serial[start:m.start()].replace("\r", "")
    return text.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"


@systest("console_keymaps_by_qmp", timeout=90)
def _():
    with Session() as s:
        s.expect("loadkeys", "us\n")
        s.run("loadkeys de")
        got = typed_line(s, [[k] for k in ("e", "c", "h", "o", "spc", "y",
                                           "z")])
        check(got == "zy\n", f"de: got {got!r}")
        # Dead keys: ^ e, the acute key then a, shift+acute (grave) then
        # e, ^ then space, ^ then x (no composition: both).
        got = typed_line(s, [[k] for k in ("e", "c", "h", "o", "spc")] + [
            ["grave_accent"], ["e"], ["equal"], ["a"], ["shift", "equal"],
            ["e"], ["grave_accent"], ["spc"], ["grave_accent"], ["x"]],
            dead={5, 7, 9, 11, 13})
        check(got == "\u00ea\u00e1\u00e8^^x\n", f"de dead keys: got {got!r}")
        s.run("loadkeys fr")
        text = "echo héllo € café"
        got = typed_line(s, [FR_KEYS.get(ch, [ch]) for ch in text])
        check(got == "héllo € café\n", f"fr: got {got!r}")
        time.sleep(0.5)
        rows = screen_rows(s.guest.screendump())
        check("héllo € café" in rows, f"not on the screen: {rows[-6:]!r}")
        s.expect("loadkeys; loadkeys us", "fr\n")
        s.expect("loadkeys xx 2>/dev/null; echo $?", "1\n")


LATE_LINE = r"tty: first read, by pid \d+"


class LoudSession(Session):
    """A Session booted with every log line (loglevel=3). The terminal's
    debug line comes when the shell first reads, right after its first
    prompt and on the same serial line, so the session waits for that
    line and then for a fresh prompt."""

    def __init__(self):
        self.guest = Guest(cmdline="loglevel=3")

    def __enter__(self):
        self.guest.start()
        m = self.guest.wait_serial(LATE_LINE, timeout=60)
        self.send(b"\r")
        self.wait(PROMPT, m.end(), timeout=30)
        return self


HELP_LINE = ("Type help for the shell's commands, doom or quake to play, "
             "pico FILE to edit.")


@systest("console_boot_help_and_quiet_log", timeout=60)
def _():
    with LoudSession() as s:
        late = LATE_LINE
        time.sleep(0.5)
        rows = [r for r in screen_rows(s.guest.screendump()) if r]
        check(rows[-3] == HELP_LINE and rows[-2].startswith("/ $") and
              rows[-1].startswith("/ $"), f"the screen ends {rows[-3:]!r}")
        check(not any(re.search(late, r) for r in rows),
              "a log line after the boot reached the screen")
        s.expect("dmesg | grep -c 'tty: first read'", "1\n")


@systest("console_output_ends_on_screen", timeout=60)
def _():
    with Session() as s:
        rows = seq_on_screen(s, 3000)
        check(rows and rows[-1] == 3000, f"the screen ends at {rows[-1:]}")
