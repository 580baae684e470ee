"""Quake alias models (.mdl) made of a few flat-coloured triangles.

An alias model (the engine's modelgen.h, version 6) is a header, its skins
(a type word then width x height palette indexes each), one texture
coordinate per vertex, the triangles, and its frames: a type word, the
frame's bounding box, a 16-byte name and one packed vertex per model
vertex, each coordinate a byte scaled by the header's scale and origin.
The test game needs two: progs/player.mdl (the engine makes a baseline of
the player's model, so it must load) and progs/emblem.mdl, the spinning
entity model in the second room. Both have one skin and one frame; every
vertex uses normal 0 of the engine's table, so the shading is even.

See: docs/quake-testgame.md
"""
import struct

from gfx import C_BLACK

IDPOLYHEADER = b"IDPO"
ALIAS_VERSION = 6
ALIAS_SINGLE = 0
SKIN_SINGLE = 0
FACES_FRONT = 1
BYTE_MAX = 255
SKIN_W, SKIN_H = 32, 32


def skin(colours):
    """A skin of horizontal bands, one per colour, top to bottom.

    The engine flood-fills the area around the skin's top-left pixel with
    black (id's skins have a background there), unless that pixel is
    already black; so it is black here, and the first band keeps its
    colour.
    """
    band = SKIN_H // len(colours)
    px = bytearray()
    for y in range(SKIN_H):
        px += bytes([colours[min(y // band, len(colours) - 1)]]) * SKIN_W
    px[0] = C_BLACK
    return bytes(px)


def build(verts, tris, st, skin_px, name):
    """verts [(x, y, z)], tris [(a, b, c)] clockwise seen from outside,
    st [(s, t)] skin coordinates per vertex; returns the .mdl bytes."""
    lo = [min(v[a] for v in verts) for a in range(3)]
    hi = [max(v[a] for v in verts) for a in range(3)]
    scale = [(hi[a] - lo[a]) / BYTE_MAX or 1.0 for a in range(3)]
    packed = [tuple(round((v[a] - lo[a]) / scale[a]) for a in range(3))
              for v in verts]
    radius = max(sum(c * c for c in v) ** 0.5 for v in verts)
    size = sum(hi[a] - lo[a] for a in range(3)) / 3
    out = bytearray(IDPOLYHEADER)
    out += struct.pack("<i3f3ff3fiiiiiiiif", ALIAS_VERSION, *scale, *lo,
                       radius, 0.0, 0.0, 0.0, 1, SKIN_W, SKIN_H,
                       len(verts), len(tris), 1, 0, 0, size)
    out += struct.pack("<i", SKIN_SINGLE) + skin_px
    for s, t in st:
        out += struct.pack("<iii", 0, s, t)
    for a, b, c in tris:
        out += struct.pack("<iiii", FACES_FRONT, a, b, c)
    out += struct.pack("<i", ALIAS_SINGLE)
    out += struct.pack("<4B4B16s", 0, 0, 0, 0, BYTE_MAX, BYTE_MAX, BYTE_MAX,
                       0, name.encode())
    for p in packed:
        out += struct.pack("<4B", *p, 0)
    return bytes(out)


def box_model(lo, hi, colours, name):
    """A box from corner lo to corner hi: 8 vertices, 12 triangles."""
    verts = [(x, y, z) for z in (lo[2], hi[2]) for y in (lo[1], hi[1])
             for x in (lo[0], hi[0])]
    # quads by vertex number (bit 0: x high, bit 1: y high, bit 2: z high),
    # each listed clockwise seen from outside the box
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6),
             (0, 2, 6, 4), (1, 5, 7, 3)]
    tris = []
    for a, b, c, d in quads:
        tris += [(a, b, c), (a, c, d)]
    st = [((i & 1) * (SKIN_W - 1), ((i >> 2) & 1) * (SKIN_H - 1))
          for i in range(8)]
    return build(verts, tris, st, skin(colours), name)


def diamond_model(radius, height, colours, name):
    """An octahedron standing on a point: 6 vertices, 8 triangles."""
    verts = [(0, 0, -height), (radius, 0, 0), (0, radius, 0),
             (-radius, 0, 0), (0, -radius, 0), (0, 0, height)]
    tris = []
    for i in range(4):
        a, b = 1 + i, 1 + (i + 1) % 4
        tris.append((5, b, a))   # upper half
        tris.append((0, a, b))   # lower half
    st = [(SKIN_W // 2, SKIN_H - 1), (0, SKIN_H // 2),
          (SKIN_W // 3, SKIN_H // 2), (2 * SKIN_W // 3, SKIN_H // 2),
          (SKIN_W - 1, SKIN_H // 2), (SKIN_W // 2, 0)]
    return build(verts, tris, st, skin(colours), name)
