#!/usr/bin/python3
"""Build the Quake test game: OUT/id1/pak0.pak, the same bytes every time.

No Quake data may be used, so the tests play a game made here: two rooms
joined by stairs, a pool of water under a skylight, a fence and a spinning
model (the map in map_boxes()), a scripted walk through it (demo1.dem),
its textures, pictures and models drawn by this folder's modules, and a
QuakeC game (qc/) compiled by Debian's fteqcc. Everything goes into one
pak, written in name order with fixed contents, so its sha256 only
changes when this generator does; tests/host/test_quake_testgame.py pins
it.

Usage: mkgame.py OUT_DIR      (needs /usr/bin/fteqcc and console-setup-linux)
See: docs/quake-testgame.md
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The build writes under build/ only: no __pycache__ beside the sources.
sys.dont_write_bytecode = True

import bsp  # noqa: E402
import demo  # noqa: E402
import gfx  # noqa: E402
import mdl  # noqa: E402
import textures  # noqa: E402

FTEQCC = "/usr/bin/fteqcc"
TITLE = "Ember test game"
PAK_NAME_LEN = 56
PROG_VERSION = 6       # the engine's pr_comp.h
PROGHEADER_CRC = 5927  # the engine's progdefs.h

# The map, in world units. Later boxes override earlier ones; everything
# no box covers is solid rock. Room A's floor is at 0, room B's at 64; four
# steps of 16 (the engine lets a player step up 18) join them.
STEP_H, STEP_D = 16, 32
STEPS = 4
ROOM_A = ((0, 0, 0), (512, 512, 256))
ROOM_B = ((640, 0, 64), (1024, 512, 320))
POOL = ((768, 128, 0), (896, 384, 64))
SKYLIGHT = ((768, 128, 320), (896, 384, 352))
FENCE_SLAB = ((248, 320, 0), (256, 448, 128))
STAIR_Y = (192, 320)
STAIR_TOP = 192
BOUNDS = ((-64, -64, -64), (1088, 576, 448))

STYLES = {"a": ("floor", "ceiling", "brick"),
          "s": ("floor", "ceiling", "brick"),
          "b": ("floor", "ceiling", "metal")}

LIGHTS = [((256, 256, 200), 350), ((576, 256, 160), 250),
          ((832, 256, 280), 400), ((832, 256, 40), 150)]
AMBIENT = 24

SPAWN = (128, 256, 24)   # standing on room A's floor (hull mins z is -24)
EMBLEM = (832, 256, 160)


def map_boxes():
    boxes = [bsp.Box(*ROOM_A, bsp.CONTENTS_EMPTY, "a")]
    for i in range(1, STEPS + 1):
        x0 = ROOM_A[1][0] + STEP_D * (i - 1)
        boxes.append(bsp.Box((x0, STAIR_Y[0], STEP_H * i),
                             (x0 + STEP_D, STAIR_Y[1], STAIR_TOP),
                             bsp.CONTENTS_EMPTY, "s"))
    boxes += [bsp.Box(*ROOM_B, bsp.CONTENTS_EMPTY, "b"),
              bsp.Box(*POOL, bsp.CONTENTS_WATER, "b"),
              bsp.Box(*SKYLIGHT, bsp.CONTENTS_SKY),
              bsp.Box(*FENCE_SLAB, bsp.FENCE)]
    return boxes


def texture_of(seen, other, axis, sign):
    """The texture of a boundary seen from cell `seen`: (name, special)."""
    if other[0] == bsp.FENCE:
        return ("{fence", False)
    if other[0] == bsp.CONTENTS_SKY:
        return ("sky", True)
    if other[0] in bsp.VISIBLE:
        return ("*water", True)  # air against water, from either side
    floor, ceil, wall = STYLES[seen[1]]
    if axis == 2:
        return (floor if sign > 0 else ceil, False)
    return (wall, False)


def entities():
    ents = [{"classname": "worldspawn", "message": TITLE},
            {"classname": "info_player_start",
             "origin": "%d %d %d" % SPAWN, "angle": "0"},
            {"classname": "misc_emblem", "origin": "%d %d %d" % EMBLEM}]
    out = ""
    for e in ents:
        out += "{\n" + "".join('"%s" "%s"\n' % kv for kv in e.items()) + "}\n"
    return out


def build_map():
    miptex = bsp.encode_miptex(textures.all_textures())
    return bsp.build(map_boxes(), BOUNDS, entities(), texture_of, miptex,
                     LIGHTS, AMBIENT)


def compile_progs():
    """progs.dat from qc/, compiled by fteqcc in a scratch folder."""
    if not os.access(FTEQCC, os.X_OK):
        raise SystemExit(f"testgame: {FTEQCC} is missing "
                         "(Debian package fteqcc; run tools/deps.sh)")
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(os.path.join(HERE, "qc"))):
            shutil.copy(os.path.join(HERE, "qc", name), tmp)
        p = subprocess.run([FTEQCC], cwd=tmp, capture_output=True, text=True)
        path = os.path.join(tmp, "progs.dat")
        if p.returncode != 0 or not os.path.exists(path):
            sys.stderr.write(p.stdout + p.stderr)
            raise SystemExit("testgame: fteqcc failed")
        data = open(path, "rb").read()
    version, crc = struct.unpack_from("<ii", data)
    if (version, crc) != (PROG_VERSION, PROGHEADER_CRC):
        raise SystemExit(f"testgame: progs.dat is version {version} CRC "
                         f"{crc}, the engine wants {PROG_VERSION} and "
                         f"{PROGHEADER_CRC}: qc/defs.qc changed")
    return data


# The engine's check key (Quakespasm's common.c, pop[]): 128 16-bit words,
# stored big-endian in gfx/pop.lmp. Without this file a pak that is not
# id's own is refused as a "modified game".
POP = [
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x6600, 0x0000, 0x0000, 0x0000, 0x6600, 0x0000,
    0x0000, 0x0066, 0x0000, 0x0000, 0x0000, 0x0000, 0x0067, 0x0000,
    0x0000, 0x6665, 0x0000, 0x0000, 0x0000, 0x0000, 0x0065, 0x6600,
    0x0063, 0x6561, 0x0000, 0x0000, 0x0000, 0x0000, 0x0061, 0x6563,
    0x0064, 0x6561, 0x0000, 0x0000, 0x0000, 0x0000, 0x0061, 0x6564,
    0x0064, 0x6564, 0x0000, 0x6469, 0x6969, 0x6400, 0x0064, 0x6564,
    0x0063, 0x6568, 0x6200, 0x0064, 0x6864, 0x0000, 0x6268, 0x6563,
    0x0000, 0x6567, 0x6963, 0x0064, 0x6764, 0x0063, 0x6967, 0x6500,
    0x0000, 0x6266, 0x6769, 0x6a68, 0x6768, 0x6a69, 0x6766, 0x6200,
    0x0000, 0x0062, 0x6566, 0x6666, 0x6666, 0x6666, 0x6562, 0x0000,
    0x0000, 0x0000, 0x0062, 0x6364, 0x6664, 0x6362, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0062, 0x6662, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0061, 0x6661, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x6500, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x6400, 0x0000, 0x0000, 0x0000,
]

QUAKE_RC = """// Ember test game: the engine runs this file at start.
exec default.cfg
exec config.cfg
exec autoexec.cfg
stuffcmds
"""

DEFAULT_CFG = """// Ember test game: default keys and settings.
unbindall
bind UPARROW +forward
bind DOWNARROW +back
bind LEFTARROW +left
bind RIGHTARROW +right
bind w +forward
bind s +back
bind a +moveleft
bind d +moveright
bind SPACE +jump
bind ALT +strafe
bind SHIFT +speed
bind PGUP +lookup
bind PGDN +lookdown
bind END centerview
bind ` toggleconsole
bind ~ toggleconsole
bind ESCAPE togglemenu
bind PAUSE pause
bind MOUSE1 +attack
bind MOUSE2 +jump
+mlook
"""


def game_files():
    font = gfx.load_font()
    files = gfx.lmp_files(font, TITLE)
    files["gfx.wad"] = gfx.wad(font)
    files["gfx/pop.lmp"] = struct.pack(">128H", *POP)
    files["progs.dat"] = compile_progs()
    files["progs/player.mdl"] = mdl.box_model(
        (-16, -16, -24), (16, 16, 32),
        [gfx.ramp(3, 10), gfx.ramp(1, 8), gfx.ramp(1, 5)], "player")
    files["progs/emblem.mdl"] = mdl.diamond_model(
        24, 32, [gfx.ramp(5, 14), gfx.ramp(12, 10), gfx.ramp(5, 6)],
        "emblem")
    files["maps/start.bsp"] = build_map()
    files["demo1.dem"] = demo.build(
        TITLE, ["maps/start.bsp", "progs/player.mdl", "progs/emblem.mdl"],
        EMBLEM, (ROOM_A[1][0], STEP_D, STEP_H, STEPS))
    files["quake.rc"] = QUAKE_RC.encode()
    files["default.cfg"] = DEFAULT_CFG.encode()
    return files


def pak(files):
    """A PACK: header, the files in name order, then the directory."""
    header_len = 12
    body = bytearray()
    directory = bytearray()
    for name in sorted(files):
        if len(name) >= PAK_NAME_LEN:
            raise SystemExit(f"testgame: name too long for a pak: {name}")
        directory += struct.pack("<56sii", name.encode(),
                                 header_len + len(body), len(files[name]))
        body += files[name]
    return (b"PACK" + struct.pack("<ii", header_len + len(body),
                                  len(directory)) + bytes(body) +
            bytes(directory))


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: mkgame.py OUT_DIR")
    out = os.path.join(sys.argv[1], "id1")
    os.makedirs(out, exist_ok=True)
    data = pak(game_files())
    tmp = os.path.join(out, "pak0.pak.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, os.path.join(out, "pak0.pak"))


if __name__ == "__main__":
    main()
