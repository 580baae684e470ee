"""System tests of the seed's `int 0x80` ABI: every call, then the screen
and the input calls driven from outside through QMP.

seed_abi_all_calls runs tests/user/seed_abi.c, which checks each of the 22
calls itself; here the console calls' output is checked on the serial port.
seed_screen_and_input runs tests/user/seed_input.c, which takes the screen
exclusively and blits a known pattern; the test checks the pattern with a
screendump (scaled by the largest integer factor, centred on black), sends
keys, mouse motion and a button through QMP and checks what the program read
through calls 7, 9, 21 and 22, then checks that leaving exclusive mode gives
the screen back to the console (text, no pattern) and that keys typed during
exclusive mode were not left in the terminal's input.

See: tests/user/seed_abi.c, tests/user/seed_input.c, docs/syscalls.md
"""
import re

from harness import Guest, check, systest
from selfcheck import init_cmdline, judge, run_program


@systest("seed_abi_all_calls", timeout=90)
def seed_abi_all_calls():
    text = run_program("seed_abi", timeout=60)
    check("seed: putc ok\n" in text, "call 1's bytes not on the serial port")
    check("\x1b[3;5H" in text, "call 4 (x 4, y 2) did not send ESC[3;5H")
    check("\x1b[2J" in text, "call 3 did not clear the screen")


# The pattern seed_input.c blits: PAT_W x PAT_H pixels, four quadrants.
PAT_W, PAT_H = 100, 60
QUADRANTS = {(0, 0): (255, 0, 0), (1, 0): (0, 255, 0),
             (0, 1): (0, 0, 255), (1, 1): (255, 255, 255)}


def check_pattern(img):
    scale = min(img.width // PAT_W, img.height // PAT_H)
    check(scale >= 1, f"screen {img.width}x{img.height} too small")
    x0 = (img.width - PAT_W * scale) // 2
    y0 = (img.height - PAT_H * scale) // 2
    for (qx, qy), rgb in QUADRANTS.items():
        # The middle of each quadrant, and its corner pixels.
        for sx, sy in [(PAT_W // 4, PAT_H // 4), (0, 0),
                       (PAT_W // 2 - 1, PAT_H // 2 - 1)]:
            px = x0 + (qx * PAT_W // 2 + sx) * scale
            py = y0 + (qy * PAT_H // 2 + sy) * scale
            for dx, dy in [(0, 0), (scale - 1, scale - 1)]:
                got = img.pixel(px + dx, py + dy)
                check(got == rgb, f"pixel ({px + dx},{py + dy}) is {got}, "
                      f"expected {rgb} (scale {scale}, origin {x0},{y0})")
    # The marker: source pixel (1, 1) is black inside the red quadrant.
    got = img.pixel(x0 + scale + scale // 2, y0 + scale + scale // 2)
    check(got == (0, 0, 0), f"marker pixel is {got}, not black")
    # Black around the frame: its four sides, if there is room.
    for px, py in [(x0 - 1, img.height // 2), (x0 + PAT_W * scale,
                   img.height // 2), (img.width // 2, y0 - 1),
                   (img.width // 2, y0 + PAT_H * scale)]:
        if 0 <= px < img.width and 0 <= py < img.height:
            check(img.pixel(px, py) == (0, 0, 0),
                  f"border pixel ({px},{py}) is {img.pixel(px, py)}")


def pattern_colours(img):
    """How many pixels have each quadrant's colour."""
    counts = dict.fromkeys(QUADRANTS.values(), 0)
    for i in range(0, len(img.rgb), 3):
        rgb = tuple(img.rgb[i:i + 3])
        if rgb in counts:
            counts[rgb] += 1
    return counts


@systest("seed_screen_and_input", timeout=120)
def seed_screen_and_input():
    with Guest(cmdline=init_cmdline("seed_input")) as g:
        g.wait_serial(r"^READY blit$")
        img = g.screendump()
        check_pattern(img)

        g.tap("a")
        g.tap("up")
        g.wait_serial(r"^READY key$")
        g.tap("z")
        g.tap("left")
        g.wait_serial(r"^READY mouse$")
        g.mouse_move(10, 20)
        g.mouse_move(5, -4)
        g.wait_serial(r"^READY button$")
        g.mouse_button("left", True)
        g.wait_serial(r"^READY release$")
        g.mouse_button("left", False)
        g.wait_serial(r"^READY text$")
        img = g.screendump()
        counts = pattern_colours(img)
        check(counts[(255, 0, 0)] < 1000 and counts[(0, 255, 0)] < 1000,
              f"the pattern is still on the screen: {counts}")
        lit = sum(1 for i in range(0, len(img.rgb), 3)
                  if img.rgb[i:i + 3] != b"\0\0\0")
        check(lit > 500, f"the console did not redraw ({lit} lit pixels)")
        for ch in "ok\n":
            g.tap(*__import__("harness").char_to_qcode(ch))
        status = g.wait_exit(60)
        text = judge(g, "seed_input", status)
    check(re.search(r"^check: PASS line_after_leave_is_only_new_keys$", text,
                    re.M), "the terminal line check did not run")
