"""System tests of DOOM on Ember (ports/doom/, docs/doom.md).

- doom_timedemo_<iwad>_<demo>: `doom -timedemo demoN` runs as init's
  command; the engine's "timed N gametics in N realtics" line and the
  port's end-state line ("doom-end: ...", on stderr, which is the console
  and so the serial port) must appear, and the end-state line must equal,
  byte for byte, the one the Linux build of the same engine and platform
  layer (build/doom/doom-host, `make doom-host`) prints for the same demo,
  generated here at test time. Both sides start from freshly generated
  default configs. `make test` runs two short demos, one per IWAD;
  `make test-long` all 8.
- doom_title_screen: DOOM started with no -iwad (it finds freedoom2.wad
  in /usr/share/games/doom) draws its title screen
  (a screendump with many colours inside the centred, scaled frame and a
  black border around it: not the console) and the picture changes over
  time (the attract loop moves on to its demos).
- doom_play: the menu by QMP keys (the cursor moves), a new game, the
  player moving while an arrow is held, a setting changed ('-': screen
  size 8), quit from the menu (exit status 0) and the config saved on the
  disk with that setting.
- doom_missing_wad, doom_truncated_wad: a clear error on the console, and
  init reports the exit status (255, I_Error's).
- doom_from_shell, doom_killed_from_shell, doom_crashed_from_shell,
  doom_save_across_reboot: `doom` typed at the shell's prompt; quit, a
  kill and a crash return to the shell with nothing leaked into it; a
  save survives a reboot (described at "from the shell" below).
- doom_background_stopped, doom_escape_key, doom_serial_ctrl_c: nothing
  locks the machine: `doom &` is stopped until fg, ctrl-alt-backspace
  and ^C on the serial line end a DOOM that holds it.

See: docs/doom.md, tests/system/README.md
"""
import os
import re
import subprocess
import tempfile
import threading
import time

from harness import (BUILD, EXIT_POWEROFF, PART_OFFSET, ROOT, Guest, check,
                     mtype, scratch_dir,
                     systest)
from session import PROMPT, Session, mtools

DOOM_HOST = os.path.join(BUILD, "doom", "doom-host")
WADS = os.path.join(ROOT, "cache", "doom", "wads")
WAD_DIR = "/usr/share/games/doom"
IWADS = ["freedoom1", "freedoom2"]
DEMOS = ["demo1", "demo2", "demo3", "demo4"]
# The two shortest demos (1241 and 1415 tics), one per IWAD, run in
# `make test`; all 8 in `make test-long`.
SHORT = {("freedoom1", "demo3"), ("freedoom2", "demo1")}

TIMED_RX = r"^timed (\d+) gametics in (\d+) realtics \(([\d.]+) fps\)"
END_RX = r"^doom-end: .*$"
INIT_RX = r"^init: /bin/doom (exited with status (\d+)|was killed by " \
    r"signal (\d+))"

_host_lock = threading.Lock()
_host_lines = {}


def init_cmdline(args, cwd="/scratch"):
    """The kernel option that makes init run /bin/doom with args."""
    return "init=/bin/init,-C," + cwd + ",/bin/doom," + ",".join(args)


def fresh_config_args(prefix):
    """Default configs generated afresh (the files do not exist yet)."""
    return ["-config", f"{prefix}.cfg", "-extraconfig", f"{prefix}-extra.cfg"]


def host_endstate(iwad, demo):
    """The Linux build's end-state line for one demo (made once per run)."""
    with _host_lock:
        if (iwad, demo) in _host_lines:
            return _host_lines[(iwad, demo)]
        check(os.access(DOOM_HOST, os.X_OK),
              f"{DOOM_HOST} missing: run make doom-host")
        with tempfile.TemporaryDirectory(
                dir=os.path.join(BUILD, "tests")) as d:
            p = subprocess.run(
                [DOOM_HOST, "-iwad", os.path.join(WADS, iwad + ".wad")] +
                fresh_config_args(os.path.join(d, "doom")) +
                ["-timedemo", demo, "-nogui"],
                env=dict(os.environ, EMBER_DOOM_DIR=os.path.join(d, "data")),
                capture_output=True, text=True, timeout=300)
        m = re.search(END_RX, p.stderr, re.M)
        check(m and re.search(TIMED_RX, p.stderr, re.M),
              f"Linux build: no end state for {iwad} {demo} "
              f"(exit {p.returncode}): {p.stderr[-300:]}")
        _host_lines[(iwad, demo)] = m.group(0)
        return m.group(0)


def init_report(g):
    m = re.search(INIT_RX, g.serial, re.M)
    check(m, "no report from init about /bin/doom")
    return m


def timedemo(iwad, demo):
    want = host_endstate(iwad, demo)
    args = ["-iwad", f"{WAD_DIR}/{iwad}.wad", "-timedemo", demo] + \
        fresh_config_args("/scratch/doom")
    with Guest(cmdline=init_cmdline(args), mem="256M") as g:
        status = g.wait_exit(600)
        text = g.serial
    timed = re.search(TIMED_RX, text, re.M)
    got = re.search(END_RX, text, re.M)
    check(timed, f"no 'timed ... gametics' line (QEMU status {status})")
    check(got, "no end-state line after the timedemo")
    check(got.group(0) == want,
          f"end state differs from Linux:\n  Ember: {got.group(0)}\n"
          f"  Linux: {want}")
    m = re.search(INIT_RX, text, re.M)
    check(m and m.group(2) == "255",
          f"doom: {m.group(1) if m else 'no report from init'} (a timedemo "
          "ends through I_Error: 255)")
    check(status == EXIT_POWEROFF, f"QEMU status {status}, not a clean "
          "power-off")


for _iwad in IWADS:
    for _demo in DEMOS:
        systest(f"doom_timedemo_{_iwad}_{_demo}", timeout=700,
                long=(_iwad, _demo) not in SHORT)(
            (lambda i, d: lambda: timedemo(i, d))(_iwad, _demo))


# ---- the screen ----

# Call 10 scales the 320x240 frame (aspect ratio corrected) by 3 on the
# 1024x768 screen: 960x720 at (32, 24).
FRAME = (32, 24, 960, 720)


def frame_colours(img, step=4):
    """The distinct colours inside the frame (every step-th pixel)."""
    x0, y0, w, h = FRAME
    seen = set()
    for y in range(y0, y0 + h, step):
        for x in range(x0, x0 + w, step):
            seen.add(img.pixel(x, y))
    return seen


def border_black(img):
    """Is the border around the centred frame black (left, top, corners)?"""
    x0, y0, w, h = FRAME
    points = [(x, y) for x in range(0, img.width, 16) for y in range(0, y0)]
    points += [(x, y) for x in range(0, x0) for y in range(0, img.height, 16)]
    points += [(x, y) for x in range(x0 + w, img.width)
               for y in range(0, img.height, 16)]
    return all(img.pixel(x, y) == (0, 0, 0) for x, y in points)


def wait_doom_screen(g, timeout=60):
    """Waits until the engine is set up and a frame is on the screen."""
    g.wait_serial(r"^ST_Init: Init status bar", timeout)
    deadline = time.monotonic() + timeout
    while True:
        img = g.screendump()
        if (img.width, img.height) == (1024, 768) and border_black(img) and \
                len(frame_colours(img)) > 32:
            return img
        check(time.monotonic() < deadline, "no DOOM frame on the screen "
              f"({len(frame_colours(img))} colours in the frame area)")
        time.sleep(0.5)


@systest("doom_title_screen", timeout=180)
def doom_title_screen():
    # No -iwad: the engine finds freedoom2.wad in /usr/share/games/doom.
    args = fresh_config_args("/scratch/doom")
    with Guest(cmdline=init_cmdline(args)) as g:
        first = wait_doom_screen(g)
        first.save_png(os.path.join(BUILD, "tests", "doom_title.png"))
        # The title stays about 5 s, then the attract loop plays demo1.
        deadline = time.monotonic() + 30
        while True:
            time.sleep(1)
            later = g.screendump()
            if later.rgb != first.rgb:
                break
            check(time.monotonic() < deadline,
                  "the screen did not change in 30 s")
        check(border_black(later), "the frame is no longer centred on black")
        check(not re.search(INIT_RX, g.serial, re.M),
              "doom ended in attract mode")


# ---- bad WADs ----

def expect_wad_error(g, message_rx):
    status = g.wait_exit(90)
    text = g.serial
    check(re.search(message_rx, text, re.M),
          f"no clear error matching /{message_rx}/ on the console")
    m = re.search(INIT_RX, text, re.M)
    check(m, f"no report from init (QEMU status {status})")
    check(m.group(2) == "255", f"doom: {m.group(1)}, expected status 255")
    check(status == EXIT_POWEROFF, f"QEMU status {status}")


@systest("doom_missing_wad", timeout=120)
def doom_missing_wad():
    args = ["-iwad", f"{WAD_DIR}/nosuch.wad"] + \
        fresh_config_args("/scratch/doom")
    with Guest(cmdline=init_cmdline(args)) as g:
        expect_wad_error(g, r"IWAD file '/usr/share/games/doom/nosuch\.wad' "
                         r"not found!")


@systest("doom_truncated_wad", timeout=120)
def doom_truncated_wad():
    with scratch_dir() as d:
        disk = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always",
                        os.path.join(BUILD, "disk.img"), disk], check=True)
        half = os.path.join(d, "half.wad")
        with open(os.path.join(WADS, "freedoom2.wad"), "rb") as src, \
                open(half, "wb") as dst:
            dst.write(src.read(4 << 20))
        subprocess.run(["mcopy", "-i", f"{disk}@@{PART_OFFSET}", half,
                        "::/scratch/half.wad"], check=True,
                       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
        args = ["-iwad", "/scratch/half.wad"] + \
            fresh_config_args("/scratch/doom")
        with Guest(cmdline=init_cmdline(args), disk_image=disk) as g:
            expect_wad_error(g, r"^/scratch/half\.wad is truncated or "
                             r"damaged: its directory of \d+ lumps at byte "
                             r"\d+ ends at byte \d+, but the file has "
                             r"4194304 bytes")


# ---- playing ----

# Screen areas, in screendump pixels: the 3D view (screen size 9, the
# default: inside the border, above the status bar) and the main menu's
# column, where its skull cursor moves (left of the item names).
VIEW = (100, 80, 820, 480)
MENU_SKULL = (32 + 3 * 60, 24, 3 * 40, 3 * 168)


def changed(a, b, area, step=2):
    """(fraction of pixels that differ, bounding box height) in area."""
    x0, y0, w, h = area
    total = diff = 0
    top = bottom = None
    for y in range(y0, y0 + h, step):
        for x in range(x0, x0 + w, step):
            total += 1
            if a.pixel(x, y) != b.pixel(x, y):
                diff += 1
                top = y if top is None else top
                bottom = y
    return diff / total, (bottom - top + 1) if diff else 0


@systest("doom_play", timeout=240)
def doom_play():
    """Menu by QMP keys, a new game, moving with an arrow held, a setting
    changed, quit from the menu, and the config saved on the disk."""
    # -iwad by name alone: the engine looks in its IWAD folders.
    args = ["-iwad", "freedoom2.wad"] + \
        fresh_config_args("/scratch/doom")
    with Guest(cmdline=init_cmdline(args)) as g:
        wait_doom_screen(g)
        # Main menu, New Game (freedoom2 has no episodes), the default
        # skill: the game starts on MAP01 after the screen wipe.
        g.tap("esc")
        time.sleep(0.5)
        g.tap("ret")
        time.sleep(0.5)
        g.tap("ret")
        time.sleep(3)
        still = g.screendump()
        time.sleep(1)
        idle = g.screendump()
        idle_frac, _ = changed(still, idle, VIEW)
        g.key("up", True)
        time.sleep(1.5)
        g.key("up", False)
        time.sleep(0.5)
        moved = g.screendump()
        move_frac, _ = changed(idle, moved, VIEW)
        check(move_frac > 0.3 and move_frac > idle_frac + 0.2,
              f"holding the up arrow changed {move_frac:.0%} of the view "
              f"(idle: {idle_frac:.0%}): the player did not move")
        moved.save_png(os.path.join(BUILD, "tests", "doom_play.png"))

        # '-' shrinks the view (screenblocks 9 -> 8): saved on quit.
        g.tap("minus")
        time.sleep(0.5)
        # The menu pauses a single-player game; moving its cursor down two
        # items moves the skull by 32 rows (plus its own height). Its blink
        # alone changes 19 rows.
        g.tap("esc")
        time.sleep(0.7)
        menu = g.screendump()
        check(changed(moved, menu, VIEW)[0] > 0.05, "Esc drew no menu")
        g.tap("down")
        time.sleep(0.2)
        g.tap("down")
        time.sleep(0.5)
        menu2 = g.screendump()
        _, rows = changed(menu, menu2, MENU_SKULL)
        check(rows > 3 * 40, f"the menu cursor did not move (changes over "
              f"{rows} rows of the menu column)")
        # Up three times: items 1, 0, then around to the last, Quit Game.
        for _ in range(3):
            g.tap("up")
            time.sleep(0.2)
        g.tap("ret")
        time.sleep(0.7)
        g.tap("y")
        status = g.wait_exit(60)
        m = init_report(g)
        check(m.group(2) == "0", f"doom: {m.group(1)} after quitting")
        check(status == EXIT_POWEROFF, f"QEMU status {status}")
        with scratch_dir() as d:
            disk = os.path.join(d, "disk.img")
            g.keep_disk(disk)
            cfg = mtype(disk, "/scratch/doom.cfg")
            extra = mtype(disk, "/scratch/doom-extra.cfg")
    check(re.search(r"^screenblocks\s+8\s*$", cfg, re.M),
          "the config saved on quit lacks screenblocks 8")
    check(re.search(r"^key_", extra, re.M) or
          re.search(r"^key_", cfg, re.M), "no key bindings saved")


# ---- from the shell ----

# System tests of DOOM started from the shell (docs/doom.md section 6).
#
# - doom_from_shell: `doom` typed at the prompt draws its title screen (a
#   screendump unlike the console); a new game, arrows and Enter held and
#   released in it, quit from the menu (Esc, up to Quit Game, Enter, y):
#   the prompt comes back, the console is redrawn, nothing typed in the
#   game reached the shell (no extra prompt, `echo ok` prints exactly ok).
# - doom_killed_from_shell: DOOM killed by a signal (SIGTERM, then SIGSEGV
#   as a crash would send) while it holds the screen: the shell reports
#   it, the prompt and the console come back.
# - doom_save_across_reboot: a game saved in slot 0 (F2, a name, Enter)
#   and a setting changed ('-', screen size 8), quit, `poweroff`; the next
#   boot from that disk runs `doom -loadgame 0`, which draws the saved
#   view with the saved screen size (the config was read back).
#
# While DOOM holds the screen the terminal drops all input but the signal
# keys (kernel/fs/tty.c tty_set_paused), so the kill tests start a killer
# in the background before DOOM: only a foreground DOOM takes the screen.
#
# See: tests/system/session.py, tests/system/test_doom.py, docs/doom.md


def console_shown(img):
    """The console: few colours and some text on it, not DOOM's frame."""
    colours = set()
    lit = 0
    for y in range(0, img.height, 3):
        for x in range(0, img.width, 3):
            p = img.pixel(x, y)
            colours.add(p)
            if p != img.pixel(0, 0):
                lit += 1
    return len(colours) <= 16 and lit > 20


def prompts_after(s, start):
    return len(re.findall(r"\$ \x1b\[K", s.raw().replace("\r", "")[start:]))


def quit_from_menu(g, hold_y=False):
    """Esc, up to Quit Game (from New Game, the cursor's place), Enter,
    y: one key per QMP command. hold_y: y is left down."""
    g.tap("esc")
    time.sleep(0.7)
    g.tap("up")
    time.sleep(0.3)
    g.tap("ret")
    time.sleep(0.7)
    if hold_y:
        g.key("y", True)
    else:
        g.tap("y")


def new_game(g):
    g.tap("esc")
    time.sleep(0.5)
    g.tap("ret")
    time.sleep(0.5)
    g.tap("ret")
    time.sleep(3)


@systest("doom_from_shell", timeout=150)
def doom_from_shell():
    with Session() as s:
        g = s.guest
        console = g.screendump()
        check(console_shown(console), "no console text before doom")
        start = s.mark()
        s.send(b"doom -iwad freedoom2.wad\r")
        title = wait_doom_screen(g)
        check(title.rgb != console.rgb and not console_shown(title),
              "the title screen looks like the console")
        new_game(g)
        # Arrows and Enter held in the game, then released.
        for k in ("up", "left", "ret"):
            g.key(k, True)
            time.sleep(0.3)
        time.sleep(1)
        for k in ("ret", "left", "up"):
            g.key(k, False)
        g.tap("right")
        g.tap("y")
        time.sleep(0.5)
        # Quit, with the 'y' that confirms held down past the exit: the
        # keyboard repeats it (a second make code), which must type
        # nothing at the prompt (kernel/drivers/kbd.c from_game).
        quit_from_menu(g, hold_y=True)
        s.wait(PROMPT, start + 1, timeout=40)
        time.sleep(0.5)
        g.key("y", True)
        time.sleep(0.3)
        g.key("y", False)
        time.sleep(0.5)
        check(prompts_after(s, start) == 1,
              "more than one prompt after doom: a key leaked into the shell")
        back = g.screendump()
        check(console_shown(back), "the console was not redrawn after doom")
        s.expect("echo ok", "ok\n")
        s.expect("echo $?", "0\n")


# A killer started before DOOM, in the background: it finds DOOM by its
# argv[0] in /proc (the bracket keeps grep from finding itself) and sends
# the signal. DOOM itself must be in the foreground to take the screen.
KILLER = ("sleep {delay}\n"
          "grep 'doo[m]' /proc/*/cmdline 2>/dev/null | cut -d/ -f3 | "
          "xargs kill -{sig}\n")


def start_killer(s, sig, delay):
    for i, line in enumerate(KILLER.format(sig=sig, delay=delay)
                             .splitlines()):
        s.run(f"echo \"{line}\" {'>' if i == 0 else '>>'} killer.sh")
    out = s.run("sh killer.sh &")
    check(re.match(r"\[1\] \d+", out), f"no job line: {out!r}")


def back_at_prompt(s, g, start, what):
    s.wait(PROMPT, start + 1, timeout=60)
    time.sleep(1)
    back = g.screendump()
    check(console_shown(back), f"the console was not redrawn after {what}")
    s.run("true")  # takes the notices of ended background jobs
    s.expect("echo ok", "ok\n")


def typed_at_keyboard(s, g, word):
    """`echo word` typed through QMP keys must run."""
    start = s.mark()
    for k in "echo " + word:
        g.tap({" ": "spc"}.get(k, k))
    g.tap("ret")
    m = s.wait(r"\n" + word + r"\r?\n", start, timeout=20)
    s.wait(PROMPT, m.end(), timeout=20)


def killed(sig, name):
    with Session() as s:
        g = s.guest
        start_killer(s, sig, 25)
        start = doom_in_foreground(s)
        s.wait(PROMPT, start + 1, timeout=60)
        out = s.raw().replace("\r", "")[start:]
        check(name in out, f"the shell did not report {name!r}: "
              f"{out[-300:]!r}")
        back_at_prompt(s, g, start, f"doom was killed by SIG{sig}")


@systest("doom_killed_from_shell", timeout=120)
def doom_killed_from_shell():
    killed("TERM", "Terminated")


@systest("doom_crashed_from_shell", timeout=120)
def doom_crashed_from_shell():
    killed("SEGV", "Segmentation fault")


# Nothing may lock the machine (kernel/proc/screen.c):
# - doom_background_stopped: `doom &` may not take the screen: SIGTTOU
#   stops it ("Stopped (tty output)"), the console stays on the screen, the
#   shell reads keys typed at the keyboard (QMP) and the serial port; fg
#   then gives it the screen, and ^C on the serial line ends it. With
#   SIGTTOU ignored it gets -EIO instead: DOOM says so and exits.
# - doom_escape_key: ctrl-alt-backspace pressed through QMP while DOOM
#   holds the screen kills it (the shell reports "Killed"), the console is
#   redrawn and the shell reads keys again.
# - doom_serial_ctrl_c: ^C sent on the serial line while DOOM holds the
#   screen ends it (SIGINT to the foreground group).
@systest("doom_background_stopped", timeout=300)
def doom_background_stopped():
    with Session() as s:
        g = s.guest
        # The shell shares the CPU with DOOM loading its WAD until DOOM
        # reaches the screen and stops: on a busy host a prompt can take
        # far longer than the usual 20 s of host time.
        out = s.run("doom -iwad freedoom1.wad &", timeout=90)
        check(re.match(r"\[1\] \d+", out), f"no job line: {out!r}")
        for _ in range(30):  # bounded: DOOM loads its WAD first
            out = s.run("jobs", timeout=90)
            if "Stopped" in out:
                break
            time.sleep(2)
        check(re.search(r"\[1\]\+\s+Stopped \(tty output\)\s+doom", out),
              f"doom & was not stopped by SIGTTOU: {out!r}")
        check(console_shown(g.screendump()), "the console is not shown")
        typed_at_keyboard(s, g, "kbd")
        start = s.mark()
        s.send(b"fg\r")
        wait_doom_screen(g)
        s.send(b"\x03")
        back_at_prompt(s, g, start, "fg, then ^C on the serial line")
        s.run("sh -c \"trap '' TTOU; doom -iwad freedoom1.wad\" &")
        s.wait(r"can't take the screen \(error -5\)", start, timeout=60)
        time.sleep(1)
        check(console_shown(g.screendump()), "the console is not shown")
        s.run("true")  # takes the job's notice
        typed_at_keyboard(s, g, "kbd")
        s.expect("echo ok", "ok\n")


def doom_in_foreground(s):
    """Types `doom`, waits for its screen; returns the serial mark."""
    start = s.mark()
    s.send(b"doom -iwad freedoom1.wad\r")
    wait_doom_screen(s.guest)
    return start


@systest("doom_escape_key", timeout=120)
def doom_escape_key():
    with Session() as s:
        g = s.guest
        start = doom_in_foreground(s)
        for k in ("ctrl", "alt", "backspace"):
            g.key(k, True)
        for k in ("backspace", "alt", "ctrl"):
            g.key(k, False)
        s.wait(PROMPT, start + 1, timeout=30)
        out = s.raw().replace("\r", "")[start:]
        check("ctrl-alt-backspace" in out and "Killed" in out,
              f"no kill reported: {out[-300:]!r}")
        back_at_prompt(s, g, start, "ctrl-alt-backspace")
        typed_at_keyboard(s, g, "key")


@systest("doom_serial_ctrl_c", timeout=120)
def doom_serial_ctrl_c():
    with Session() as s:
        start = doom_in_foreground(s)
        s.send(b"\x03")
        back_at_prompt(s, s.guest, start, "^C on the serial line")


@systest("doom_save_across_reboot", timeout=240)
def doom_save_across_reboot():
    with scratch_dir() as d:
        disk = os.path.join(d, "disk.img")
        with Session() as s:
            g = s.guest
            start = s.mark()
            s.send(b"doom -iwad freedoom2.wad\r")
            wait_doom_screen(g)
            new_game(g)
            g.tap("minus")  # screen size 8: saved in the config on quit
            time.sleep(1)
            saved = g.screendump()
            g.tap("f2")
            time.sleep(0.7)
            g.tap("ret")  # slot 0: edit its name
            time.sleep(0.3)
            for ch in "ember":
                g.tap(ch)
                time.sleep(0.1)
            g.tap("ret")
            time.sleep(1.5)
            quit_from_menu(g)
            s.wait(PROMPT, start + 1, timeout=40)
            s.guest.send_serial(b"poweroff\r")
            check(g.wait_exit(30) == EXIT_POWEROFF, "no clean power-off")
            g.keep_disk(disk)
        listing = mtools("mdir", disk, "-/", "-b", "::/var/games/doom")
        listing = listing.decode(errors="replace")
        check(re.search(r"doomsav0\.dsg", listing, re.I),
              f"no save on the disk: {listing!r}")
        cfg = mtools("mtype", disk,
                     "::/var/games/doom/default.cfg").decode()
        check(re.search(r"^screenblocks\s+8\s*$", cfg, re.M),
              "the config saved on quit lacks screenblocks 8")
        with Session(disk_image=disk, name="doom_save_across_reboot.2") as s:
            g = s.guest
            start = s.mark()
            s.send(b"doom -iwad freedoom2.wad -loadgame 0\r")
            wait_doom_screen(g)
            time.sleep(2)
            loaded = g.screendump()
            frac, _ = changed(saved, loaded, VIEW)
            check(frac < 0.25, f"the loaded game differs from the saved "
                  f"view in {frac:.0%} of it")
            quit_from_menu(g)
            s.wait(PROMPT, start + 1, timeout=40)
            s.expect("echo ok", "ok\n")
