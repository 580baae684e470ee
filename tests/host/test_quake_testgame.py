#!/usr/bin/python3
"""Checks of the Quake test game (ports/quake/testgame/) that `make` built.

What each test proves:
- quake_testgame_reproducible: a second run of the generator, in a scratch
  folder, writes the same bytes as the build did, and their sha256 is the
  pinned PAK_SHA256 (a change of the generator must change the pin, on
  purpose, in the same commit).
- quake_testgame_pak_directory: the pak's header and directory are in
  range, names are unique, and every file the engine insists on is there.
- quake_testgame_progs_crc: progs.dat is version 6 with the system
  definitions' CRC 5927 and defines every function the engine calls.
- quake_testgame_bsp_lumps: the map is BSP29, every lump lies inside the
  file, and each lump's length is a whole number of its records.
- quake_testgame_bsp_faces_closed: every face has 3 or more edges, all in
  range, each edge starting where the previous one ended and the last
  ending at the first vertex; its vertices lie on its plane; its winding is
  clockwise seen from the side its `side` says it faces; lit faces'
  lightmaps lie inside the lighting lump.
- quake_testgame_bsp_tree: every node, leaf, clipnode, marksurface and
  texinfo index is in range; leaf 0 is solid; the node tree and both clip
  hulls reach every child exactly once (a tree, no cycles).
- quake_testgame_bsp_points: points known from the map description are in
  the right contents in hull 0 (air in each room, water in the pool, solid
  rock, sky), and the player's hull 1 is open at the spawn spot but solid
  where the player's box would cut into a wall.
- quake_testgame_bsp_surfaces: the map has a lit textured face, a liquid
  ('*'), a sky and a fence ('{') texture, and at least two floor heights.
- quake_testgame_demo_records: demo1.dem starts with its CD track line,
  its records lie inside the file, each starts with a known server message,
  there are more than 100 of them, and the last is a lone disconnect
  (running off the end of a demo is an error in the engine).

This file parses the formats on its own (from the engine's bspfile.h,
pr_comp.h) and shares no code with the generator.

Usage: test_quake_testgame.py [PAK]   (default build/quake/testgame/id1/pak0.pak)
See: docs/quake-testgame.md
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GENERATOR = os.path.join(ROOT, "ports", "quake", "testgame", "mkgame.py")
PAK_DEFAULT = os.path.join(ROOT, "build", "quake", "testgame", "id1",
                           "pak0.pak")
PAK_SHA256 = "5bd1351f84011a09f8abca0ca5a7d8c76f4b30cb56485839a76887e8c74cac65"

REQUIRED = ["progs.dat", "maps/start.bsp", "gfx.wad", "gfx/palette.lmp",
            "gfx/colormap.lmp", "gfx/conback.lmp", "gfx/pop.lmp",
            "gfx/mainmenu.lmp", "gfx/qplaque.lmp", "gfx/ttl_main.lmp",
            "gfx/menudot1.lmp", "progs/player.mdl", "quake.rc",
            "default.cfg", "demo1.dem"]
ENGINE_CALLS = ["main", "StartFrame", "PlayerPreThink", "PlayerPostThink",
                "ClientKill", "ClientConnect", "PutClientInServer",
                "ClientDisconnect", "SetNewParms", "SetChangeParms",
                "worldspawn", "info_player_start"]

# BSP29 record sizes by lump (bspfile.h); 1 where the lump is bytes.
LUMPS = [("entities", 1), ("planes", 20), ("textures", 1), ("vertexes", 12),
         ("visibility", 1), ("nodes", 24), ("texinfo", 40), ("faces", 20),
         ("lighting", 1), ("clipnodes", 8), ("leafs", 28),
         ("marksurfaces", 2), ("edges", 4), ("surfedges", 4),
         ("models", 64)]
CONTENTS_EMPTY, CONTENTS_SOLID, CONTENTS_WATER, CONTENTS_SKY = -1, -2, -3, -6
LIGHT_UNIT = 16
MAX_EXTENT = 2000
TEX_SPECIAL = 1
# Hull 1: the player's box (-16 -16 -24, 16 16 32).
PLAYER_MINS = (-16, -16, -24)

passed = failed = 0


def result(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS: {name}")
    else:
        failed += 1
        print(f"FAIL: {name}: {why}")


class Bad(Exception):
    pass


def need(cond, why):
    if not cond:
        raise Bad(why)


def read_pak(data):
    need(data[:4] == b"PACK", "no PACK magic")
    ofs, length = struct.unpack_from("<ii", data, 4)
    need(length % 64 == 0 and 12 <= ofs and ofs + length <= len(data),
         f"directory {ofs}+{length} outside {len(data)} bytes")
    files = {}
    for i in range(length // 64):
        raw, pos, size = struct.unpack_from("<56sii", data, ofs + 64 * i)
        name = raw.split(b"\0")[0].decode()
        need(name not in files, f"{name} twice")
        need(12 <= pos and size >= 0 and pos + size <= ofs,
             f"{name} at {pos}+{size} overlaps the directory")
        files[name] = data[pos:pos + size]
    return files


class Bsp:
    def __init__(self, data):
        self.data = data
        need(struct.unpack_from("<i", data)[0] == 29, "not BSP29")
        self.lump = {}
        for i, (name, rec) in enumerate(LUMPS):
            ofs, ln = struct.unpack_from("<ii", data, 4 + 8 * i)
            need(ofs >= 4 + 8 * len(LUMPS) and ln >= 0 and
                 ofs + ln <= len(data), f"lump {name} {ofs}+{ln} outside")
            need(ln % rec == 0, f"lump {name} length {ln} not whole records")
            self.lump[name] = data[ofs:ofs + ln]

    def records(self, name, fmt):
        blob = self.lump[name]
        size = struct.calcsize(fmt)
        return [struct.unpack_from(fmt, blob, i)
                for i in range(0, len(blob), size)]


def parse_bsp(files):
    b = Bsp(files["maps/start.bsp"])
    b.planes = b.records("planes", "<4fi")
    b.verts = b.records("vertexes", "<3f")
    b.nodes = b.records("nodes", "<ihh3h3hHH")
    b.texinfo = b.records("texinfo", "<8fii")
    b.faces = b.records("faces", "<hhihh4Bi")
    b.clip = b.records("clipnodes", "<ihh")
    b.leafs = b.records("leafs", "<ii3h3hHH4B")
    b.marks = [m[0] for m in b.records("marksurfaces", "<H")]
    b.edges = b.records("edges", "<HH")
    b.surfedges = [s[0] for s in b.records("surfedges", "<i")]
    b.models = b.records("models", "<9f4iiii")
    tex = b.lump["textures"]
    (n,) = struct.unpack_from("<i", tex)
    b.texnames = []
    for i in range(n):
        (ofs,) = struct.unpack_from("<i", tex, 4 + 4 * i)
        name, w, h = struct.unpack_from("<16sII", tex, ofs)
        need(w % 16 == 0 and h % 16 == 0, "texture size not a multiple of 16")
        need(ofs + 40 + w * h * 85 // 64 <= len(tex), "texture past lump")
        b.texnames.append(name.split(b"\0")[0].decode())
    return b


def face_vertices(b, f):
    _, _, first, count, _, _, _, _, _, _ = f
    need(count >= 3, "face with fewer than 3 edges")
    need(0 <= first and first + count <= len(b.surfedges),
         "surfedges out of range")
    pts = []
    for se in b.surfedges[first:first + count]:
        need(se != 0 and abs(se) < len(b.edges), f"edge {se} out of range")
        v0, v1 = b.edges[abs(se)]
        if se < 0:
            v0, v1 = v1, v0
        need(v0 < len(b.verts) and v1 < len(b.verts), "vertex out of range")
        pts.append((v0, v1))
    for i in range(count):
        need(pts[i][1] == pts[(i + 1) % count][0],
             "edges do not close the face")
    return [b.verts[p[0]] for p in pts]


def check_faces(b):
    for fnum, f in enumerate(b.faces):
        plane, side, _, _, ti, _, _, _, _, lightofs = f
        need(0 <= plane < len(b.planes), "plane out of range")
        need(0 <= ti < len(b.texinfo), "texinfo out of range")
        vs = face_vertices(b, f)
        nx, ny, nz, dist, _ = b.planes[plane]
        n = (nx, ny, nz)
        for v in vs:
            need(abs(sum(n[i] * v[i] for i in range(3)) - dist) < 0.01,
                 f"face {fnum}: vertex off its plane")
        e1 = [vs[1][i] - vs[0][i] for i in range(3)]
        e2 = [vs[2][i] - vs[0][i] for i in range(3)]
        cross = (e1[1] * e2[2] - e1[2] * e2[1],
                 e1[2] * e2[0] - e1[0] * e2[2],
                 e1[0] * e2[1] - e1[1] * e2[0])
        facing = sum(cross[i] * n[i] for i in range(3))
        facing = -facing if side else facing
        need(facing < 0, f"face {fnum}: not clockwise from its front")
        vecs = b.texinfo[ti][:8]
        flags = b.texinfo[ti][9]
        if flags & TEX_SPECIAL:
            continue
        size = 1
        for j in range(2):
            st = [sum(v[i] * vecs[4 * j + i] for i in range(3)) +
                  vecs[4 * j + 3] for v in vs]
            lo = int(min(st) // LIGHT_UNIT)
            hi = -int(-max(st) // LIGHT_UNIT)
            need((hi - lo) * LIGHT_UNIT <= MAX_EXTENT, "extents too large")
            size *= hi - lo + 1
        need(0 <= lightofs and lightofs + size <= len(b.lump["lighting"]),
             f"face {fnum}: lightmap outside the lighting lump")


def check_tree(b):
    need(b.leafs[0][0] == CONTENTS_SOLID, "leaf 0 is not solid")
    for leaf in b.leafs:
        first, count = leaf[8], leaf[9]
        need(first + count <= len(b.marks), "marksurfaces out of range")
    for m in b.marks:
        need(m < len(b.faces), "marksurface names no face")
    seen = set()

    def walk(i):
        need(0 <= i < len(b.nodes), f"node {i} out of range")
        need(i not in seen, f"node {i} reached twice")
        seen.add(i)
        node = b.nodes[i]
        need(0 <= node[0] < len(b.planes), "node plane out of range")
        need(node[9] + node[10] <= len(b.faces), "node faces out of range")
        for child in node[1:3]:
            if child >= 0:
                walk(child)
            else:
                need(-child - 1 < len(b.leafs), "leaf out of range")

    model = b.models[0]
    heads = model[9:13]
    walk(heads[0])
    need(len(seen) == len(b.nodes), "nodes not reached from the root")
    for hull in (1, 2):
        seen_c = set()
        stack = [heads[hull]]
        while stack:
            i = stack.pop()
            need(0 <= i < len(b.clip), f"clipnode {i} out of range")
            need(i not in seen_c, f"clipnode {i} reached twice")
            seen_c.add(i)
            plane, front, back = b.clip[i]
            need(0 <= plane < len(b.planes), "clip plane out of range")
            for child in (front, back):
                if child >= 0:
                    stack.append(child)
                else:
                    need(child in (CONTENTS_EMPTY, CONTENTS_SOLID),
                         f"clip contents {child}")
    for ti in b.texinfo:
        need(0 <= ti[8] < len(b.texnames), "texinfo names no texture")


def contents_hull0(b, p):
    i = b.models[0][9]
    while i >= 0:
        nx, ny, nz, dist, _ = b.planes[b.nodes[i][0]]
        d = nx * p[0] + ny * p[1] + nz * p[2] - dist
        i = b.nodes[i][1] if d >= 0 else b.nodes[i][2]
    return b.leafs[-i - 1][0]


def contents_clip(b, hull, p):
    i = b.models[0][9 + hull]
    while i >= 0:
        nx, ny, nz, dist, _ = b.planes[b.clip[i][0]]
        d = nx * p[0] + ny * p[1] + nz * p[2] - dist
        i = b.clip[i][1] if d >= 0 else b.clip[i][2]
    return i


def check_points(b):
    # The map as ports/quake/testgame/mkgame.py describes it.
    expect = [((256, 128, 128), CONTENTS_EMPTY, "room A"),
              ((900, 100, 200), CONTENTS_EMPTY, "room B"),
              ((576, 256, 100), CONTENTS_EMPTY, "stairs"),
              ((832, 256, 32), CONTENTS_WATER, "pool"),
              ((832, 256, 336), CONTENTS_SKY, "skylight"),
              ((256, 128, -32), CONTENTS_SOLID, "under room A"),
              ((600, 100, 100), CONTENTS_SOLID, "beside the stairs"),
              ((252, 384, 64), CONTENTS_SOLID, "inside the fence")]
    for p, want, what in expect:
        got = contents_hull0(b, p)
        need(got == want, f"{what} {p}: contents {got}, want {want}")
    spawn = (128, 256, 24)
    need(contents_clip(b, 1, spawn) == CONTENTS_EMPTY, "spawn blocked")
    near_wall = (-PLAYER_MINS[0] - 8, 256, 24)  # box cuts 8 into x=0 wall
    need(contents_clip(b, 1, near_wall) == CONTENTS_SOLID,
         "hull 1 lets the player's box into the wall")
    need(contents_clip(b, 1, (256, 256, 20)) == CONTENTS_SOLID,
         "hull 1 lets the player's feet into the floor")
    need(contents_clip(b, 2, (128, 256, 30)) == CONTENTS_EMPTY,
         "hull 2 closed in the middle of room A")


def check_surfaces(b):
    used = {b.texnames[b.texinfo[f[4]][8]] for f in b.faces}
    need(any(n.startswith("*") for n in used), "no liquid face")
    need(any(n.startswith("sky") for n in used), "no sky face")
    need(any(n.startswith("{") for n in used), "no fence face")
    lit = [f for f in b.faces if f[9] >= 0]
    need(lit, "no lit face")
    light = b.lump["lighting"]
    need(len(set(light)) > 16, "the lightmap is flat")
    floors = set()
    for f in b.faces:
        nx, ny, nz, dist, _ = b.planes[f[0]]
        if nz == 1.0 and f[1] == 0:
            floors.add(dist)
    need(len(floors) >= 2, f"floor heights {sorted(floors)}")


def check_progs(files):
    d = files["progs.dat"]
    version, crc = struct.unpack_from("<ii", d)
    need((version, crc) == (6, 5927), f"version {version} CRC {crc}")
    # dprograms_t: after version and crc, 7 (offset, count) pairs;
    # functions are pair 3, strings pair 4 (pr_comp.h).
    pairs = struct.unpack_from("<13i", d, 8)
    fofs, fnum = pairs[6], pairs[7]
    sofs, slen = pairs[8], pairs[9]
    need(fofs + 36 * fnum <= len(d) and sofs + slen <= len(d),
         "progs tables outside the file")
    names = set()
    for i in range(fnum):
        name_ofs = struct.unpack_from("<i", d, fofs + 36 * i + 16)[0]
        end = d.index(b"\0", sofs + name_ofs)
        names.add(d[sofs + name_ofs:end].decode())
    missing = [n for n in ENGINE_CALLS if n not in names]
    need(not missing, f"functions missing: {missing}")


SVC_DISCONNECT, SVC_TIME, SVC_SERVERINFO, SVC_LIGHTSTYLE, SVC_SIGNONNUM = (
    2, 7, 11, 12, 25)
MAX_MSGLEN = 64000  # the engine's smallest limit on one demo record
DEMO_MIN_RECORDS = 100


def check_demo(files):
    d = files["demo1.dem"]
    need(d.startswith(b"-1\n"), "no CD track line")
    pos = 3
    firsts = []
    while pos < len(d):
        need(pos + 16 <= len(d), "record header past the end")
        (length,) = struct.unpack_from("<i", d, pos)
        need(0 < length <= MAX_MSGLEN, f"record length {length}")
        need(pos + 16 + length <= len(d), "record past the end")
        firsts.append(d[pos + 16:pos + 16 + length])
        pos += 16 + length
    need(firsts[0][0] == SVC_SERVERINFO, "does not start with server info")
    starts = {m[0] for m in firsts}
    need(starts <= {SVC_SERVERINFO, SVC_LIGHTSTYLE, SVC_SIGNONNUM, SVC_TIME,
                    SVC_DISCONNECT}, f"unexpected messages {sorted(starts)}")
    need(len(firsts) > DEMO_MIN_RECORDS, f"only {len(firsts)} records")
    need(firsts[-1] == bytes([SVC_DISCONNECT]), "does not end by disconnect")


def run(name, fn, *args):
    try:
        fn(*args)
        result(name, True)
    except (Bad, KeyError, struct.error, IndexError, ValueError) as e:
        result(name, False, f"{type(e).__name__}: {e}")


def reproducible(pak_path, data):
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run(["/usr/bin/python3", GENERATOR, tmp],
                           capture_output=True, text=True)
        need(p.returncode == 0, "generator failed: " + p.stderr[-500:])
        again = open(os.path.join(tmp, "id1", "pak0.pak"), "rb").read()
    need(again == data, f"a second build differs from {pak_path}")
    digest = hashlib.sha256(data).hexdigest()
    need(digest == PAK_SHA256, f"sha256 {digest}, pinned {PAK_SHA256}")


def main():
    pak_path = sys.argv[1] if len(sys.argv) > 1 else PAK_DEFAULT
    if not os.path.exists(pak_path):
        result("quake_testgame_setup", False, f"{pak_path} missing (make)")
    else:
        data = open(pak_path, "rb").read()
        run("quake_testgame_reproducible", reproducible, pak_path, data)
        files = {}
        try:
            files = read_pak(data)
            missing = [n for n in REQUIRED if n not in files]
            need(not missing, f"missing {missing}")
            result("quake_testgame_pak_directory", True)
        except Bad as e:
            result("quake_testgame_pak_directory", False, str(e))
        run("quake_testgame_progs_crc", check_progs, files)
        try:
            b = parse_bsp(files)
            result("quake_testgame_bsp_lumps", True)
        except (Bad, KeyError, struct.error) as e:
            result("quake_testgame_bsp_lumps", False, str(e))
            b = None
        if b is not None:
            run("quake_testgame_bsp_faces_closed", check_faces, b)
            run("quake_testgame_bsp_tree", check_tree, b)
            run("quake_testgame_bsp_points", check_points, b)
            run("quake_testgame_bsp_surfaces", check_surfaces, b)
        run("quake_testgame_demo_records", check_demo, files)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
