"""System tests of QUAKE on Ember (ports/quake/, docs/quake.md).

- quake_without_game_data: `quake` typed at the shell's prompt on the
  build's disk, whose game folder /usr/share/games/quake/id1 is empty,
  prints one line saying where pak0.pak goes and exits with status 1,
  and the shell comes back at once (the program never took the screen:
  the console is still shown, `echo ok` works). Then a pak cut short
  (`quake -basedir /scratch/game`, its id1/pak0.pak a generated pak
  truncated in the middle of its files) is refused with the port's
  "is truncated or damaged" line naming the file, status 1. The Linux
  build (build/quake/quake-host) prints the same two lines for the same
  inputs. The first line of both programs is the FPU control state they
  started with, which must be MXCSR 0x1F80 and x87 control word 0x37F on
  both systems: Ember sets it at execve (kernel/proc/exec.c), and the
  frame comparison relies on both programs starting alike.

- quake_scripted_run: the test game (ports/quake/testgame/, on the disk
  in /usr/share/games/quake-test) runs a script with the fixed-step clock
  (-fixedclock: every frame 1/72 s, time moves only with frames): load
  the map, wait, then walk forward, turn, strafe and look up, printing
  `viewpos` and `framecrc` (the CRC-32 of the frame's XRGB pixels) at
  each stop. Ember runs it as init's command; its lines must equal, byte
  for byte, those of the Linux build run here with the same script, and
  the positions must change where the player moved.

- quake_timedemo: a demo recorded here with the Linux build (the walk
  above, `record walk start` ... `stop`, fixed-step clock: the same bytes
  every time) is replayed with `timedemo walk` on Linux and on Ember; the
  port's end-state line ("quake-end: frames N pos (...) angles (...)
  health H crc32 X") must be the same on both.
- quake_from_shell: `quake -basedir . +map start` typed at the shell's
  prompt in the test game's folder, the game's keys and mouse sent by
  QMP, one key per command: the game takes the screen (a frame of many
  colours, scaled by 3 and centred); holding the up arrow moves the view;
  the mouse turns it; the console (`) opens and takes `viewpos`, whose
  line shows the player away from the spawn point and turned; Esc closes
  the console and opens the menu (the picture changes); Esc closes it;
  `quit` typed in the console returns to the shell: exactly one prompt,
  the console redrawn, `echo ok` works.
- quake_save_across_reboot (make test-long): a walk, `save s0` and
  `sensitivity 7`, quit and power off; the disk holds s0.sav and
  config.cfg; booted again from it, `load s0` puts the player where the
  save was made (the same viewpos line) and the config kept the setting.
- quake_quit_from_menu (make test-long): Esc, Up to Quit, Enter ends
  the game at once (Quakespasm's menu.c, unless -fitz) and back at the
  prompt nothing leaked; with -fitz, Enter asks, N goes back, Y quits.
- quake_killed_from_shell, quake_crashed_from_shell (make test-long):
  the game started as a background job and killed by `kill -TERM`, or by
  `kill -SEGV` (what a crash sends), gives the screen back; the shell
  says Terminated or Segmentation fault and works.

See: docs/quake.md, tests/system/README.md
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

from harness import BUILD, EXIT_POWEROFF, ROOT, Guest, check, systest
from session import PROMPT, Session, disk_with, mtools

QUAKE_HOST = os.path.join(BUILD, "quake", "quake-host")
GAME_DIR = "/usr/share/games/quake/id1"
TEST_BASEDIR = "/usr/share/games/quake-test"
TESTGAME = os.path.join(BUILD, "quake", "testgame", "id1", "pak0.pak")
INIT_RX = r"^init: /bin/quake (exited with status (\d+)|was killed by " \
    r"signal (\d+))"
# The tests that play need the test game; they exist once its generator
# does (ports/quake/testgame/), and then fail loudly if its pak is missing.
HAVE_TESTGAME = os.path.exists(
    os.path.join(ROOT, "ports", "quake", "testgame", "testgame.mk"))


def game_test(name, **kw):
    """@systest for a test that plays the test game."""
    if HAVE_TESTGAME:
        return systest(name, **kw)
    return lambda fn: fn


# The lines a scripted run prints that must be equal on both systems.
PROBE_RX = re.compile(r"^(Viewpos: .*|framecrc: .*)$", re.M)
FPU_LINE = "quake: fpu at start: mxcsr 0x1f80, x87 control word 0x037f"
NO_PAK_LINE = ("quake: no game data: put Quake's pak0.pak (shareware or full "
               "version) in " + GAME_DIR + "/")
PAK_ENTRY = struct.Struct("<56sii")  # name, file position, file length
PAK_HEADER = struct.Struct("<4sii")  # "PACK", directory offset, length


def make_pak(files):
    """A pak holding files ({name: bytes}): header, data, directory."""
    data = b""
    entries = b""
    pos = PAK_HEADER.size
    for name, body in files.items():
        entries += PAK_ENTRY.pack(name.encode(), pos, len(body))
        data += body
        pos += len(body)
    return PAK_HEADER.pack(b"PACK", pos, len(entries)) + data + entries


def truncated_pak():
    """A pak whose second file runs past the end of the cut-short file; its
    directory is kept whole at the end, so only the file extents are off."""
    pak = make_pak({"a.lmp": bytes(range(256)) * 4,
                    "b.lmp": b"\x5a" * 4096})
    dirofs, dirlen = struct.unpack_from("<ii", pak, 4)
    directory = pak[dirofs:dirofs + dirlen]
    cut = PAK_HEADER.size + 1024 + 1000  # all of a.lmp, part of b.lmp
    body = bytearray(pak[:cut])
    struct.pack_into("<i", body, 4, len(body))  # the directory moves up
    return bytes(body) + directory, len(body) + len(directory)


def host_lines(args, cwd):
    """The Linux build's output lines (stdout and stderr) and status."""
    check(os.access(QUAKE_HOST, os.X_OK),
          f"{QUAKE_HOST} missing: run make quake-host")
    p = subprocess.run([QUAKE_HOST] + args, cwd=cwd, capture_output=True,
                       text=True, timeout=60)
    return (p.stdout + p.stderr).splitlines(), p.returncode


@systest("quake_without_game_data", timeout=150)
def quake_without_game_data():
    pak, pak_len = truncated_pak()
    bad_line = (f"quake: /scratch/game/id1/pak0.pak is truncated or damaged:"
                f" its file b.lmp ends at byte {12 + 1024 + 4096}, but the "
                f"pak has {pak_len} bytes")

    # Linux first: the same program, the same lines.
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        lines, status = host_lines(["-basedir", os.path.join(d, "none")], d)
        check(status == 1, f"Linux, no pak: status {status}, want 1")
        check(lines[:1] == [FPU_LINE], f"Linux FPU line: {lines[:1]!r}")
        want = NO_PAK_LINE.replace(GAME_DIR, os.path.join(d, "none", "id1"))
        check(want in lines, f"Linux, no pak: {lines!r}")
        os.makedirs(os.path.join(d, "game", "id1"))
        with open(os.path.join(d, "game", "id1", "pak0.pak"), "wb") as f:
            f.write(pak)
        lines, status = host_lines(["-basedir", os.path.join(d, "game")], d)
        check(status == 1, f"Linux, truncated pak: status {status}, want 1")
        host_bad = bad_line.replace("/scratch/game",
                                    os.path.join(d, "game"))
        check(host_bad in lines, f"Linux, truncated pak: {lines!r}")

    img = disk_with("quake_without_game_data", {"pak0.pak": pak})
    try:
        mtools("mmd", img, "::/scratch/game", "::/scratch/game/id1")
        mtools("mmove", img, "::/scratch/pak0.pak", "::/scratch/game/id1/")
        with Session(disk_image=img) as s:
            out = s.run("quake", timeout=60).splitlines()
            check(out[:1] == [FPU_LINE], f"Ember FPU line: {out[:1]!r}")
            check(NO_PAK_LINE in out, f"no pak: {out!r}")
            s.expect("echo $?", "1\n")
            out = s.run("quake -basedir /scratch/game", timeout=60)
            check(bad_line in out.splitlines(), f"truncated pak: {out!r}")
            s.expect("echo $?", "1\n")
            s.expect("echo ok", "ok\n")
    finally:
        os.remove(img)


def script(steps):
    """A console script: steps are commands, or ("hold", +cmd, frames),
    which holds a button for that many frames, or ("wait", frames)."""
    lines = []
    for st in steps:
        if isinstance(st, str):
            lines.append(st)
        elif st[0] == "wait":
            lines += ["wait"] * st[1]
        else:
            _, cmd, frames = st
            lines.append(cmd)
            lines += ["wait"] * frames
            lines.append("-" + cmd[1:])
    return "".join(ln + "\n" for ln in lines).encode()


PROBE = ["viewpos", "framecrc"]
# Walk forward, turn right, strafe left, look up: each stop is probed.
WALK = script(["map start", ("wait", 30)] + PROBE +
              [("hold", "+forward", 60)] + PROBE +
              [("hold", "+right", 30)] + PROBE +
              [("hold", "+moveleft", 40)] + PROBE +
              [("hold", "+lookup", 20)] + PROBE + ["quit"])


def host_run(cfg_name, cfg, extra=(), files=None):
    """Runs the Linux build on a private copy of the test game folder with
    the script cfg (and files, {name: bytes}, beside it); returns its
    output and exit status."""
    check(os.path.exists(TESTGAME), f"{TESTGAME} missing: make the test "
          "game (ports/quake/testgame/)")
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        os.makedirs(os.path.join(d, "id1"))
        os.symlink(TESTGAME, os.path.join(d, "id1", "pak0.pak"))
        for name, data in dict(files or {}, **{cfg_name: cfg}).items():
            with open(os.path.join(d, "id1", name), "wb") as f:
                f.write(data)
        # -basedir . on both systems: the engine prints its basedir.
        p = subprocess.run([QUAKE_HOST, "-basedir", ".", "-fixedclock",
                            *extra, "+exec", cfg_name], cwd=d,
                           capture_output=True, text=True, timeout=300)
        return p.stdout + p.stderr, p.returncode


def ember_run(name, cfg_name, cfg, extra=(), files=None, timeout=600):
    """Runs /bin/quake as init's command on a disk holding the script (and
    files) in the test game's folder; returns the serial text and how
    quake ended, as init reports it."""
    files = dict(files or {}, **{cfg_name: cfg})
    img = disk_with(name, files)
    try:
        for fname in files:
            mtools("mmove", img, "::/scratch/" + fname,
                   f"::{TEST_BASEDIR}/id1/")
        args = ["-basedir", ".", "-fixedclock", *extra, "+exec", cfg_name]
        cmdline = f"init=/bin/init,-C,{TEST_BASEDIR},/bin/quake," + \
            ",".join(args)
        with Guest(cmdline=cmdline, disk_image=img) as g:
            status = g.wait_exit(timeout)
            text = g.serial.replace("\r", "")
    finally:
        os.remove(img)
    check(status == EXIT_POWEROFF, f"QEMU status {status}, not a clean "
          "power-off")
    m = re.search(INIT_RX, text, re.M)
    check(m, "no report from init about quake")
    return text, m.group(1)


def record_demo():
    """Records the walk as walk.dem with the Linux build; returns it."""
    check(os.path.exists(TESTGAME), f"{TESTGAME} missing")
    steps = WALK.decode().splitlines()
    cfg = ("record walk start\n" + "\n".join(
        ln for ln in steps[1:] if ln not in ("viewpos", "framecrc", "quit")) +
        "\nstop\nquit\n").encode()
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        os.makedirs(os.path.join(d, "id1"))
        os.symlink(TESTGAME, os.path.join(d, "id1", "pak0.pak"))
        with open(os.path.join(d, "id1", "rec.cfg"), "wb") as f:
            f.write(cfg)
        p = subprocess.run([QUAKE_HOST, "-basedir", ".", "-fixedclock",
                            "+exec", "rec.cfg"], cwd=d, capture_output=True,
                           text=True, timeout=300)
        check(p.returncode == 0, f"recording: status {p.returncode}")
        with open(os.path.join(d, "id1", "walk.dem"), "rb") as f:
            return f.read()


END_RX = re.compile(r"^quake-end: .*$", re.M)


@game_test("quake_timedemo", timeout=700)
def quake_timedemo():
    dem = record_demo()
    cfg = b"timedemo walk\n"
    want_text, status = host_run("td.cfg", cfg, ["-demoquit"],
                                 {"walk.dem": dem})
    check(status == 0, f"Linux: status {status}")
    want = END_RX.search(want_text)
    check(want, f"Linux printed no end state: {want_text[-500:]!r}")
    text, how = ember_run("quake_timedemo", "td.cfg", cfg, ["-demoquit"],
                          {"walk.dem": dem})
    check(how == "exited with status 0", f"quake {how}")
    got = END_RX.search(text)
    check(got, "Ember printed no end state")
    check(got.group(0) == want.group(0), f"end states differ:\n  Ember: "
          f"{got.group(0)}\n  Linux: {want.group(0)}")


@game_test("quake_scripted_run", timeout=700)
def quake_scripted_run():
    want_text, status = host_run("walk.cfg", WALK)
    check(status == 0, f"Linux: status {status}")
    want = PROBE_RX.findall(want_text)
    check(len(want) == 10, f"Linux printed {len(want)} probe lines: "
          f"{want_text[-800:]!r}")
    pos = [w for w in want if w.startswith("Viewpos")]
    check(len(set(pos)) == len(pos), f"the player did not move: {pos!r}")
    text, how = ember_run("quake_scripted_run", "walk.cfg", WALK)
    check(how == "exited with status 0", f"quake {how}")
    got = PROBE_RX.findall(text)
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else "(nothing)"
        check(g == w, f"line {i + 1} differs:\n  Ember: {g}\n  Linux: {w}")
    check(len(got) == len(want), f"Ember printed {len(got)} probe lines")


# The 320x200 frame scaled by 3 on the 1024x768 screen, centred.
FRAME = (32, 84, 960, 600)
SPAWN = "Viewpos: (128 256 24) 0 0 0"  # the test game's start, facing east
VIEWPOS_RX = r"Viewpos: \((-?\d+) (-?\d+) (-?\d+)\) (-?\d+) (-?\d+) " \
    r"(-?\d+)"


def colours_in(img, area, step=4):
    x0, y0, w, h = area
    return {img.pixel(x, y) for y in range(y0, y0 + h, step)
            for x in range(x0, x0 + w, step)}


def differs(a, b, area, step=4):
    """The fraction of sampled pixels in area that differ."""
    x0, y0, w, h = area
    pts = [(x, y) for y in range(y0, y0 + h, step)
           for x in range(x0, x0 + w, step)]
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in pts) / len(pts)


def console_back(img):
    """Ember's console: few colours, some of them text."""
    cols = colours_in(img, (0, 0, img.width, img.height), 3)
    return len(cols) <= 16 and len(cols) > 1


def wait_game_frame(g, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        img = g.screendump()
        if len(colours_in(img, FRAME)) > 32 and \
                img.pixel(4, 4) == img.pixel(1019, 763) == (0, 0, 0):
            return img
        check(time.monotonic() < deadline, "no Quake frame on the screen")
        time.sleep(1)


def type_keys(g, text):
    for ch in text:
        g.tap({" ": "spc"}.get(ch, ch))
        time.sleep(0.1)


def console_command(g, s, cmd, want_rx, timeout=30):
    """Opens the console, types cmd and Enter; returns the match of want_rx
    in what the game printed after it."""
    start = s.mark()
    g.tap("grave_accent")
    time.sleep(1)
    type_keys(g, cmd)
    g.tap("ret")
    return s.wait(want_rx, start, timeout)


def play_from_shell(s):
    """Types `quake -basedir . +map start` at the prompt in the test game's
    folder; returns the serial mark before it and the first frame of
    play."""
    s.expect(f"cd {TEST_BASEDIR}", "")
    start = s.mark()
    s.send(b"quake -basedir . +map start\r")
    s.wait(r"player entered the game", start, 120)
    return start, wait_game_frame(s.guest)


def back_at_prompt(s, start):
    """After quake ended (since mark start): one prompt, the console
    redrawn, status 0."""
    s.wait(r"\$ \x1b\[K", start, 60)  # a prompt, maybe with typing after
    time.sleep(1)
    out = s.raw().replace("\r", "")[start:]
    check(len(re.findall(r"\$ \x1b\[K", out)) == 1,
          "more than one prompt after quake: a key leaked into the shell")
    check(re.search(PROMPT, out), "a key the game took reached the shell: "
          f"{out[out.rindex('$'):]!r} after the prompt")
    check(console_back(s.guest.screendump()), "the console was not redrawn")
    s.expect("echo $?", "0\n")


@game_test("quake_from_shell", timeout=300)
def quake_from_shell():
    with Session() as s:
        g = s.guest
        _, first = play_from_shell(s)
        first.save_png(os.path.join(BUILD, "tests", "quake_start.png"))
        g.key("up", True)
        time.sleep(2)
        g.key("up", False)
        time.sleep(1)
        walked = g.screendump()
        check(differs(first, walked, FRAME) > 0.2,
              "holding the up arrow hardly changed the view")
        for _ in range(4):
            g.mouse_move(60, 0)
            time.sleep(0.3)
        time.sleep(1)
        turned = g.screendump()
        check(differs(walked, turned, FRAME) > 0.2,
              "moving the mouse hardly changed the view")
        turned.save_png(os.path.join(BUILD, "tests", "quake_play.png"))
        m = console_command(g, s, "viewpos", VIEWPOS_RX)
        check(m.group(0) != SPAWN, f"still at the spawn point: {m.group(0)}")
        check((m.group(1), m.group(2)) != ("128", "256"),
              f"the arrow did not move the player: {m.group(0)}")
        check(m.group(5) != "0", f"the mouse did not turn: {m.group(0)}")
        in_console = g.screendump()
        g.tap("esc")  # closes the console
        time.sleep(1)
        g.tap("esc")  # opens the menu
        time.sleep(1.5)
        menu = g.screendump()
        check(differs(in_console, menu, FRAME) > 0.1 and
              differs(turned, menu, FRAME) > 0.05,
              "Esc did not bring up the menu")
        g.tap("esc")
        time.sleep(1)
        start = s.mark()
        g.tap("grave_accent")
        time.sleep(1)
        type_keys(g, "quit")
        g.tap("ret")
        back_at_prompt(s, start)
        s.expect("echo ok", "ok\n")


# Kills the game from a background script: `quake &` itself may not take
# the screen (SIGTTOU stops it, as doom_background_stopped checks), so the
# game runs in the foreground and the killer beside it.
KILLER = ("sleep {delay}\n"
          "grep 'quak[e]' /proc/*/cmdline 2>/dev/null | cut -d/ -f3 | "
          "xargs kill -{sig}\n")


def killed(sig, name):
    with Session() as s:
        g = s.guest
        s.expect(f"cd {TEST_BASEDIR}", "")
        for i, line in enumerate(KILLER.format(sig=sig, delay=40)
                                 .splitlines()):
            s.run(f"echo \"{line}\" {'>' if i == 0 else '>>'} /tmp/k.sh")
        out = s.run("sh /tmp/k.sh &")
        check(re.match(r"\[1\] \d+", out), f"no job line: {out!r}")
        start = s.mark()
        s.send(b"quake -basedir . +map start\r")
        wait_game_frame(g)
        s.wait(PROMPT, start + 1, timeout=90)
        time.sleep(1)
        out = s.raw().replace("\r", "")[start:]
        check(name in out, f"no {name!r}: {out[-300:]!r}")
        check(console_back(g.screendump()), "the console was not redrawn "
              f"after SIG{sig}")
        s.run("true")  # takes the killer's notice
        s.expect("echo ok", "ok\n")


@game_test("quake_killed_from_shell", timeout=200, long=True)
def quake_killed_from_shell():
    killed("TERM", "Terminated")


@game_test("quake_crashed_from_shell", timeout=200, long=True)
def quake_crashed_from_shell():
    killed("SEGV", "Segmentation fault")

SAVE = script(["map start", ("wait", 30), ("hold", "+forward", 40),
               ("hold", "+right", 20), ("wait", 10), "viewpos", "save s0",
               "sensitivity 7", ("wait", 5), "quit"])
LOAD = script([("wait", 5), "load s0", ("wait", 30), "viewpos", "sensitivity",
               "quit"])


@game_test("quake_save_across_reboot", timeout=400, long=True)
def quake_save_across_reboot():
    img = disk_with("quake_save_across_reboot",
                    {"save.cfg": SAVE, "load.cfg": LOAD})
    kept = img + ".kept"
    try:
        for fname in ("save.cfg", "load.cfg"):
            mtools("mmove", img, "::/scratch/" + fname,
                   f"::{TEST_BASEDIR}/id1/")
        boot = "init=/bin/init,-C," + TEST_BASEDIR + ",/bin/quake,-basedir,.," \
            "-fixedclock,+exec,"
        with Guest(cmdline=boot + "save.cfg", disk_image=img) as g:
            check(g.wait_exit(300) == EXIT_POWEROFF, "first boot: no clean "
                  "power-off")
            saved = re.search(VIEWPOS_RX, g.serial)
            g.keep_disk(kept)
        check(saved and saved.group(0) != SPAWN, "no viewpos before saving")
        listing = mtools("mdir", kept, "-b", f"::{TEST_BASEDIR}/id1")
        listing = listing.decode(errors="replace").lower()
        check("s0.sav" in listing and "config.cfg" in listing,
              f"no save or config on the disk: {listing!r}")
        with Guest(cmdline=boot + "load.cfg", disk_image=kept) as g:
            check(g.wait_exit(300) == EXIT_POWEROFF, "second boot: no clean "
                  "power-off")
            text = g.serial
        loaded = re.search(VIEWPOS_RX, text)
        check(loaded and loaded.group(0) == saved.group(0),
              f"loaded at {loaded and loaded.group(0)}, saved at "
              f"{saved.group(0)}")
        check(re.search(r'"sensitivity" is "7"', text),
              "the config did not keep sensitivity 7")
    finally:
        for p in (img, kept):
            if os.path.exists(p):
                os.remove(p)


def wait_change(g, ref, what, timeout=60):
    """Polls the screen until it differs from ref in more than 5% of the
    frame (a frame takes long on a loaded host); returns it."""
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(0.5)
        img = g.screendump()
        if differs(ref, img, FRAME) > 0.05:
            return img
        check(time.monotonic() < deadline, what)


def open_main_menu_on_quit(s, playing):
    """Esc opens the main menu on its first item; Up wraps to Quit."""
    g = s.guest
    g.tap("esc")
    menu = wait_change(g, playing, "Esc: no menu")
    g.tap("up")  # from Single Player up to Quit
    time.sleep(0.5)
    return menu


@game_test("quake_quit_from_menu", timeout=400, long=True)
def quake_quit_from_menu():
    """Quit the way a player does: Esc opens the main menu, Up wraps to
    Quit, Enter. Quakespasm ends the game at once there (its menu.c draws
    m_quit as `key_dest = key_console; Host_Quit_f ();` unless -fitz:
    "Remove confirm quit dialog" in its changes list): the shell comes
    back with one prompt and status 0, and the Enter's release types
    nothing there (kernel/drivers/kbd.c's from_game). With -fitz the
    engine asks first: Enter shows the question and the game runs on, N
    goes back to the menu, Enter asks again, Y quits, and the Y types
    nothing at the prompt either."""
    with Session() as s:
        g = s.guest
        _, playing = play_from_shell(s)
        open_main_menu_on_quit(s, playing)
        start = s.mark()
        g.tap("ret")
        back_at_prompt(s, start)

        s.expect(f"cd {TEST_BASEDIR}", "")
        start = s.mark()
        s.send(b"quake -fitz -basedir . +map start\r")
        s.wait(r"player entered the game", start, 120)
        playing = wait_game_frame(g)
        menu = open_main_menu_on_quit(s, playing)
        g.tap("ret")
        asking = wait_change(g, menu, "-fitz, Enter on Quit: no question")
        asking.save_png(os.path.join(BUILD, "tests", "quake_quit_ask.png"))
        g.tap("n")
        menu = wait_change(g, asking, "N did not take the question away")
        out = s.raw().replace("\r", "")[start:]
        check(not re.search(r"\$ \x1b\[K", out),
              "-fitz: the game ended before the question was answered")
        g.tap("ret")
        wait_change(g, menu, "-fitz, the second Enter on Quit: no question")
        start = s.mark()
        g.tap("y")
        back_at_prompt(s, start)


def make_user_paks(quake_dir, run_dir):
    """`make run QUAKE_DIR=...`'s copy step alone, into run_dir/disk.img."""
    return subprocess.run(["make", "-s", "quake-user-paks",
                           f"QUAKE_DIR={quake_dir}", f"RUN_DIR={run_dir}"],
                          cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


@game_test("quake_user_paks_from_quake_dir", timeout=1200, long=True)
def quake_user_paks_from_quake_dir():
    """`make run QUAKE_DIR=dir` with a folder holding a pak (the test
    game's, named PAK0.PAK as on a CD) puts it as pak0.pak in the game
    folder of the run disk, where a plain `quake` (no -basedir) finds and
    plays it; a folder with no pak is refused with one line, status 1."""
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        empty = os.path.join(d, "empty")
        os.makedirs(empty)
        p = make_user_paks(empty, os.path.join(d, "run"))
        check(p.returncode != 0 and f"quake: no pak0.pak in {empty}" in
              p.stderr, f"empty QUAKE_DIR: status {p.returncode}, "
              f"{p.stderr[-300:]!r}")
        user = os.path.join(d, "id1")
        os.makedirs(user)
        with open(TESTGAME, "rb") as f:
            pak = f.read()
        with open(os.path.join(user, "PAK0.PAK"), "wb") as f:
            f.write(pak)
        p = make_user_paks(user, os.path.join(d, "run"))
        check(p.returncode == 0, f"make quake-user-paks: {p.stderr[-300:]}")
        img = os.path.join(d, "run", "disk.img")
        check(mtools("mtype", img, f"::{GAME_DIR}/pak0.pak") == pak,
              "the run disk's pak0.pak is not the user's")
        probe = os.path.join(d, "probe.cfg")
        with open(probe, "wb") as f:
            f.write(script(["map start", ("wait", 30), "viewpos", "quit"]))
        mtools("mcopy", img, "-o", probe, f"::{GAME_DIR}/probe.cfg")
        cmd = "init=/bin/init,/bin/quake,-fixedclock,-noblit,+exec,probe.cfg"
        with Guest(cmdline=cmd, disk_image=img) as g:
            check(g.wait_exit(300) == EXIT_POWEROFF, "no clean power-off")
            text = g.serial.replace("\r", "")
    check(SPAWN in text, f"no spawn viewpos from the user's pak: "
          f"{text[-500:]!r}")
    m = re.search(INIT_RX, text, re.M)
    check(m and m.group(2) == "0", f"quake did not end with status 0: "
          f"{m and m.group(0)}")


@game_test("quake_bench_quake_dir", timeout=900, long=True)
def quake_bench_quake_dir():
    """`make bench`'s QUAKE_DIR path (bench_quake.py's shareware(), the
    shareware demo1 figure), run as make bench runs it but on a folder
    holding the test game's pak as PAK0.PAK: its pak goes to the game
    folder of a fresh disk, `quake` with no -basedir plays its demo1 by
    timedemo, and the figure line has the demo's 299 frames. (No shareware
    pak exists here: with id's, the same path times id's demo1.)"""
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        with open(TESTGAME, "rb") as f:
            pak = f.read()
        with open(os.path.join(d, "PAK0.PAK"), "wb") as f:
            f.write(pak)
        p = subprocess.run([sys.executable, os.path.join(
            ROOT, "tests", "system", "bench_quake.py"), "--quake-dir-only"],
            env=dict(os.environ, QUAKE_DIR=d), capture_output=True,
            text=True, timeout=800)
    out = p.stdout + p.stderr
    check(p.returncode == 0, f"bench_quake.py: status {p.returncode}: "
          f"{out[-400:]!r}")
    check(re.search(r"^quake_shareware_demo1_fps: [\d.]+ fps \(299 frames "
                    r"in [\d.]+ s; \d+ triangles, \d+ fragments a frame; "
                    r"host load [\d.]+\)$", out, re.M),
          f"no demo1 figure: {out[-400:]!r}")
