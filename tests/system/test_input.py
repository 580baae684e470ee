"""System tests of input: keys and mouse sent through QMP, serial typed on
COM1, each checked exactly against what the guest prints.

The guest runs `ktest=input_echo` (tests/kernel/test_input.c), which prints
one `key:`, `mouse:` or `char:` line per event. The expected lines are
computed here from a small model of the US layout and the modifier state,
so every test states what it sends and what must come back.

Pacing (tests/system/README.md): QEMU 7.2's PS/2 keyboard drops bytes once
16 are queued, and one input-send-event delivers all its events at once.
So each key event goes in its own QMP command, and the sender counts the
scancode bytes each event costs (1 for a plain key, 2 with an E0 prefix, 6
for Pause) and waits for the guest's echo whenever 16 would be exceeded.
The mouse has its own 16-byte queue, 3 bytes a packet.

See: docs/input.md
"""
import re
import time

from harness import EXIT_PASS, Guest, TestFailure, check, systest

PS2_QUEUE_BYTES = 16
MOUSE_PACKET_BYTES = 3

E0_KEYS = {"up", "down", "left", "right", "home", "end", "pgup", "pgdn",
           "insert", "delete", "ctrl_r", "alt_r", "kp_enter", "kp_divide",
           "meta_l", "meta_r", "menu"}
SHIFTED = dict(zip("1234567890-=[];'`\\,./",
                   "!@#$%^&*()_+{}:\"~|<>?"))
NAMED_CHARS = {"minus": "-", "equal": "=", "bracket_left": "[",
               "bracket_right": "]", "semicolon": ";", "apostrophe": "'",
               "grave_accent": "`", "backslash": "\\", "comma": ",",
               "dot": ".", "slash": "/", "spc": " ", "ret": "\n",
               "tab": "\t", "backspace": "\b", "esc": "\x1b",
               "kp_enter": "\n", "kp_divide": "/"}
# What the console input queue gets (kernel/drivers/kbd.c): Enter as \r and
# Backspace as DEL, as an xterm sends them, and these keys as its sequences.
TYPED_AS = {0x0a: 0x0d, 0x08: 0x7f}
XTERM_SEQUENCES = {
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C",
    "left": b"\x1b[D", "home": b"\x1b[H", "end": b"\x1b[F",
    "insert": b"\x1b[2~", "delete": b"\x1b[3~", "pgup": b"\x1b[5~",
    "pgdn": b"\x1b[6~", "f1": b"\x1bOP", "f2": b"\x1bOQ", "f3": b"\x1bOR",
    "f4": b"\x1bOS", "f5": b"\x1b[15~", "f6": b"\x1b[17~",
    "f7": b"\x1b[18~", "f8": b"\x1b[19~", "f9": b"\x1b[20~",
    "f10": b"\x1b[21~", "f11": b"\x1b[23~", "f12": b"\x1b[24~"}
MODS = ["shift", "ctrl", "alt", "caps", "num"]
HELD = {"shift": "shift", "shift_r": "shift", "ctrl": "ctrl",
        "ctrl_r": "ctrl", "alt": "alt", "alt_r": "alt"}


def key_cost(qcode, down):
    """Scancode bytes QEMU queues for one key event (set 1, translated)."""
    if qcode == "pause":
        return 6 if down else 0
    return 2 if qcode in E0_KEYS else 1


class KeyModel:
    """What the guest should print for each key event: the US layout and
    the modifier state, as kernel/drivers/keymap.c defines them."""

    def __init__(self):
        self.held = {}      # qcode -> True while down
        self.locks = set()  # "caps", "num"

    def mods(self):
        on = {HELD[k] for k in self.held if k in HELD} | self.locks
        names = [m for m in MODS if m in on]
        return "+".join(names) if names else "none"

    def char(self, qcode):
        on = {HELD[k] for k in self.held if k in HELD}
        shift = "shift" in on
        if len(qcode) == 1 and qcode.isalpha():
            upper = shift != ("caps" in self.locks)
            c = qcode.upper() if upper else qcode
            return chr(ord(c) & 0x1f) if "ctrl" in on else c
        if len(qcode) == 1 and qcode.isdigit():
            return SHIFTED[qcode] if shift else qcode
        c = NAMED_CHARS.get(qcode)
        if c and shift and c in SHIFTED:
            c = SHIFTED[c]
        if c and "ctrl" in on and c in "[\\]^_":
            c = chr(ord(c) & 0x1f)
        return c

    def event(self, qcode, down):
        """Returns the key: lines one QMP key event makes the guest print."""
        if qcode == "pause":
            # E1 1D 45 E1 9D C5, all sent on press: one press, one release.
            if not down:
                return []
            m = self.mods()
            return [f"key: down pause mods={m} ch=none",
                    f"key: up pause mods={m} ch=none"]
        kind = "up"
        if down:
            kind = "repeat" if qcode in self.held else "down"
            self.held[qcode] = True
            if qcode == "caps_lock" and kind == "down":
                self.locks ^= {"caps"}
        else:
            self.held.pop(qcode, None)
        c = self.char(qcode) if down else None
        ch = f"0x{ord(c):02x}" if c else "none"
        return [f"key: {kind} {qcode} mods={self.mods()} ch={ch}"]


def lines(g, prefix, start):
    """Complete lines (a line still being printed is left out)."""
    text = g.serial[start:]
    text = text[:text.rfind("\n") + 1]
    return [ln for ln in text.splitlines() if ln.startswith(prefix)]


def wait_lines(g, prefix, start, count, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        got = lines(g, prefix, start)
        if len(got) >= count:
            return got
        if time.monotonic() > deadline:
            raise TestFailure(f"waited for {count} {prefix!r} lines, got "
                              f"{len(got)}; last: {got[-3:]}")
        time.sleep(0.005)


class Echo:
    """A guest in input_echo mode, and the sender's bookkeeping."""

    def __init__(self, g):
        self.g = g
        self.start = g.wait_serial(r"^echo: ready$", timeout=60).end()
        self.model = KeyModel()
        self.want_keys = []   # key: lines expected, in order
        self.costs = []       # bytes each expected key line stands for
        self.want_mouse = []
        self.want_chars = []
        self.bytes_sent = 0

    def key(self, qcode, down, window=PS2_QUEUE_BYTES):
        """Sends one key event, first waiting until the bytes still queued
        in QEMU plus this event's fit in `window`."""
        cost = key_cost(qcode, down)
        echoed = len(lines(self.g, "key: ", self.start))
        queued = sum(self.costs[echoed:])
        while queued + cost > window:
            echoed = len(wait_lines(self.g, "key: ", self.start, echoed + 1))
            queued = sum(self.costs[echoed:])
        new = self.model.event(qcode, down)
        self.want_keys += new
        # Charge the bytes to the event's last line (Pause: press and
        # release both come from the press's 6 bytes).
        self.costs += [0] * (len(new) - 1) + [cost] if new else []
        self.bytes_sent += cost
        for ln in new:
            if ln.startswith("key: up"):
                continue
            m = re.search(r"ch=0x([0-9a-f]{2})$", ln)
            typed = XTERM_SEQUENCES.get(qcode, b"")
            if m:
                c = int(m.group(1), 16)
                typed = bytes([TYPED_AS.get(c, c)])
            self.want_chars += [f"char: 0x{b:02x}" for b in typed]
        self.g.key(qcode, down)

    def tap(self, qcode, *mods):
        for m in mods:
            self.key(m, True)
        self.key(qcode, True)
        self.key(qcode, False)
        for m in reversed(mods):
            self.key(m, False)

    def move(self, dx, dy, window=PS2_QUEUE_BYTES):
        echoed = len(lines(self.g, "mouse: ", self.start))
        while (len(self.want_mouse) - echoed + 1) * MOUSE_PACKET_BYTES > \
                window:
            echoed = len(wait_lines(self.g, "mouse: ", self.start,
                                    echoed + 1))
        self.want_mouse.append(f"mouse: dx={dx} dy={dy} buttons="
                               f"{self.buttons_text()}")
        self.g.mouse_move(dx, dy)

    buttons = ()

    def buttons_text(self):
        names = [b for b in ("left", "right", "middle") if b in self.buttons]
        return "+".join(names) if names else "none"

    def button(self, name, down):
        self.buttons = tuple(b for b in self.buttons if b != name) + \
            ((name,) if down else ())
        self.want_mouse.append(f"mouse: dx=0 dy=0 buttons="
                               f"{self.buttons_text()}")
        self.g.mouse_button(name, down)
        wait_lines(self.g, "mouse: ", self.start, len(self.want_mouse))

    def check(self):
        """Waits for every expected line and compares them all."""
        got = wait_lines(self.g, "key: ", self.start, len(self.want_keys))
        check(got == self.want_keys, "key lines differ:\n" +
              diff(self.want_keys, got))
        got = wait_lines(self.g, "mouse: ", self.start, len(self.want_mouse))
        check(got == self.want_mouse, "mouse lines differ:\n" +
              diff(self.want_mouse, got))
        got = wait_lines(self.g, "char: ", self.start, len(self.want_chars))
        check(got == self.want_chars, "char lines differ:\n" +
              diff(self.want_chars, got))

    def finish(self):
        """Ends the echo mode with ctrl-D on COM1; returns the stats."""
        self.g.send_serial(b"\x04")
        m = self.g.wait_serial(r"^echo: stats (.*input_drops=\d+)\n",
                               timeout=20, start=self.start)
        self.g.expect_exit(EXIT_PASS, timeout=20)
        return dict(kv.split("=") for kv in m.group(1).split())


def diff(want, got):
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            return f"  line {i}: expected {w!r}, got {g!r}"
    return f"  expected {len(want)} lines, got {len(got)}; " \
           f"extra: {(got[len(want):] or want[len(got):])[:3]}"


@systest("input_keys_letters_shift_caps_ctrl")
def _():
    with Guest(cmdline="ktest=input_echo") as g:
        e = Echo(g)
        e.tap("a")
        e.tap("b", "shift")
        e.tap("1", "shift_r")
        e.tap("slash", "shift")
        e.tap("caps_lock")
        e.tap("c")
        e.tap("d", "shift")
        e.tap("caps_lock")
        e.tap("e")
        e.tap("c", "ctrl")
        e.tap("z", "ctrl_r")
        e.tap("bracket_left", "ctrl")
        e.tap("x", "alt")
        e.tap("spc")
        e.tap("ret")
        e.check()
        stats = e.finish()
        check(stats["event_drops"] == "0", f"drops: {stats}")


@systest("input_keys_e0_function_pause_repeat")
def _():
    with Guest(cmdline="ktest=input_echo") as g:
        e = Echo(g)
        for k in ["up", "down", "left", "right", "home", "end", "insert",
                  "delete", "pgup", "pgdn", "kp_enter", "kp_divide",
                  "esc", "f1", "f2", "f5", "f10", "f11", "f12", "tab",
                  "backspace"]:
            e.tap(k)
        e.tap("right", "ctrl_r")
        e.tap("left", "alt_r")
        # Pause: one key, never ctrl + num lock; then a plain key proves
        # no ctrl was left held.
        e.key("pause", True)
        e.key("pause", False)
        e.tap("a")
        # The device's own repeat: make codes with no break between.
        e.key("b", True)
        e.key("b", True)
        e.key("b", True)
        e.key("b", False)
        e.check()
        e.finish()


@systest("input_mouse_directions_and_buttons")
def _():
    with Guest(cmdline="ktest=input_echo") as g:
        e = Echo(g)
        e.move(10, 0)
        e.move(-10, 0)
        e.move(0, 10)    # QMP +y is down, and so is Ember's dy
        e.move(0, -10)
        e.move(100, -100)
        for b in ("left", "right", "middle"):
            e.button(b, True)
            e.button(b, False)
        e.button("left", True)
        e.move(5, 7)     # a drag: motion with the button held
        e.button("left", False)
        e.check()
        stats = e.finish()
        check(stats["mouse_resync_bytes"] == "0", f"resyncs: {stats}")


@systest("input_200_keys_while_mouse_moves", timeout=240)
def _():
    keys = "abcdefghijklmnopqrstuvwxyz0123456789"
    e0 = ["up", "down", "left", "right", "home", "end", "pgup", "pgdn"]
    with Guest(cmdline="ktest=input_echo") as g:
        e = Echo(g)
        for i in range(200):
            k = e0[i % len(e0)] if i % 7 == 3 else keys[i % len(keys)]
            e.key(k, True)
            e.key(k, False)
            if i % 4 == 0:
                e.move(3 if i % 8 else -3, -2 if i % 3 else 2)
        e.check()
        stats = e.finish()
        for name in ("scancode_drops", "event_drops", "mouse_resync_bytes",
                     "mouse_overflows", "mouse_drops", "input_drops"):
            check(stats[name] == "0", f"{name} = {stats[name]}")
        check(int(stats["scancodes"]) == e.bytes_sent,
              f"{stats['scancodes']} scancode bytes, sent {e.bytes_sent}")
        check(int(stats["mouse_packets"]) == len(e.want_mouse),
              f"{stats['mouse_packets']} packets, sent {len(e.want_mouse)}")


@systest("input_serial_reaches_console_input")
def _():
    with Guest(cmdline="ktest=input_echo") as g:
        e = Echo(g)
        g.send_serial(b"Hi there!\r\x7f~")
        want = [f"char: 0x{b:02x}" for b in b"Hi there!\r\x7f~"]
        got = wait_lines(g, "char: ", e.start, len(want))
        check(got == want, "char lines differ:\n" + diff(want, got))
        # Keyboard and serial share the one queue.
        e.want_chars = want
        e.tap("q")
        e.check()
        e.finish()
