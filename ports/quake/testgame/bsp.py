"""A Quake BSP29 map built from axis-aligned boxes, without a map compiler.

The map is a list of boxes, each filling space with one content (empty air,
water, sky, a fence) over a solid world. Every box edge becomes a line of a
3D grid, so each grid cell has one content. From that grid the builder
makes what the engine reads:

- hull 0 (points): a tree of axial planes, chosen by splitting the grid
  until every region holds one content. Empty and water regions become
  leafs; all solid ones share leaf 0, as in maps made by id's tools.
- faces: where two cells differ and one of them can be seen into (air or
  water), the boundary is a face on the node whose plane first separated
  the two cells. Faces of one texture are merged into rectangles of at
  most FACE_MAX units, so that each lightmap stays small. Each face is
  listed (marksurfaces) in the leafs it borders on its visible side.
- hulls 1 and 2 (the player's box and the large monsters' box): the solid
  cells grown by the hull's box give a second grid of solid and empty;
  its tree becomes the clipnodes.
- a lightmap of one byte per 16 units on each lit face, from point lights
  with distance falloff and the cosine of the incidence (no shadows).

Facts the engine checks (its bspfile.h and gl_model.c): planes are axial
with positive normals (a face on the back of its plane has side 1), face
vertices run clockwise seen from the front, edge 0 is unused, a surface's
extents stay under 2000 units, a sky texture's name starts with "sky", a
liquid's with "*" (no lightmap: TEX_SPECIAL), an alpha-tested one with "{".
There is no visibility data: the engine then treats every leaf as seen.

See: docs/quake-testgame.md
"""
import bisect
import math
import struct

BSPVERSION = 29
LUMP_NAMES = ["entities", "planes", "textures", "vertexes", "visibility",
              "nodes", "texinfo", "faces", "lighting", "clipnodes", "leafs",
              "marksurfaces", "edges", "surfedges", "models"]
HEADER_LUMPS = len(LUMP_NAMES)

# Contents (bspfile.h); FENCE is ours: solid to everything, drawn with '{'.
CONTENTS_EMPTY = -1
CONTENTS_SOLID = -2
CONTENTS_WATER = -3
CONTENTS_SKY = -6
FENCE = 1
VISIBLE = (CONTENTS_EMPTY, CONTENTS_WATER)

TEX_SPECIAL = 1
LIGHT_UNIT = 16   # world units per lightmap sample (the engine's fixed 16)
FACE_MAX = 256    # largest face side in units: lightmaps of 17x17 at most
MIPLEVELS = 4
# Clip hulls (the engine's fixed boxes): player and large monster.
HULLS = [((-16, -16, -24), (16, 16, 32)), ((-32, -32, -24), (32, 32, 64))]
MAX_LIGHT = 255


class Box:
    """Space [lo, hi) filled with one content; style names its textures."""

    def __init__(self, lo, hi, content, style=None):
        self.lo, self.hi, self.content, self.style = lo, hi, content, style


class Grid:
    """Cells between sorted coordinates on each axis, one content each."""

    def __init__(self, coords, content_of):
        self.c = coords  # three sorted lists
        self.n = [len(a) - 1 for a in coords]
        self.cells = {}
        for i in range(self.n[0]):
            for j in range(self.n[1]):
                for k in range(self.n[2]):
                    self.cells[(i, j, k)] = content_of(i, j, k)

    def get(self, ijk):
        return self.cells[ijk]


def centre(coords, ijk):
    return tuple((coords[a][ijk[a]] + coords[a][ijk[a] + 1]) / 2
                 for a in range(3))


def world_grid(boxes, bounds):
    """The hull-0 grid: later boxes override earlier ones."""
    coords = []
    for a in range(3):
        s = {bounds[0][a], bounds[1][a]}
        for b in boxes:
            s.add(b.lo[a])
            s.add(b.hi[a])
        # extra lines so that no cell is wider than FACE_MAX
        v = bounds[0][a]
        while v < bounds[1][a]:
            s.add(v)
            v += FACE_MAX
        coords.append(sorted(s))

    def content_of(i, j, k):
        p = centre(coords, (i, j, k))
        found = (CONTENTS_SOLID, None)
        for b in boxes:
            if all(b.lo[a] < p[a] < b.hi[a] for a in range(3)):
                found = (b.content, b.style)
        return found

    return Grid(coords, content_of)


def hull_grid(g, mins, maxs):
    """Where a box (mins, maxs) around its origin fits: cells solid or empty.

    The origin fits where the box overlaps no solid cell (sky and fences
    are solid to boxes; water is not), i.e. outside the solid cells grown
    by -maxs..-mins. The grown cells' edges give the new grid's lines.
    """
    def blocks(cell):
        return cell[0] not in VISIBLE

    coords = []
    for a in range(3):
        coords.append(sorted({v - maxs[a] for v in g.c[a]} |
                             {v - mins[a] for v in g.c[a]}))
    solid = set()
    for ijk, cell in g.cells.items():
        if not blocks(cell):
            continue
        ranges = []
        for a in range(3):
            lo = g.c[a][ijk[a]] - maxs[a]
            hi = g.c[a][ijk[a] + 1] - mins[a]
            ranges.append(range(bisect.bisect_left(coords[a], lo),
                                bisect.bisect_left(coords[a], hi)))
        for i in ranges[0]:
            for j in ranges[1]:
                for k in ranges[2]:
                    solid.add((i, j, k))

    def content_of(i, j, k):
        if (i, j, k) in solid:
            return (CONTENTS_SOLID, None)
        return (CONTENTS_EMPTY, None)

    return Grid(coords, content_of)


def build_tree(g, kind):
    """Split the grid into regions of one content; returns the root.

    A node is ("node", axis, index, region, front, back), a leaf is
    ("leaf", content, region). The split chosen is the plane with the most
    differing cell pairs across it (the faces go high in the tree), then
    the most even one; the order of the loops makes the choice unique.
    """
    def kind_of(ijk):
        return kind(g.get(ijk))

    def build(region):
        lo, hi = region
        first = None
        same = True
        for ijk in cells_in(region):
            k = kind_of(ijk)
            if first is None:
                first = k
            elif k != first:
                same = False
                break
        if same:
            return ("leaf", first, region)
        best = None
        for a in range(3):
            for idx in range(lo[a] + 1, hi[a]):
                diff = 0
                for ijk in slice_cells(region, a, idx):
                    back = list(ijk)
                    back[a] -= 1
                    if kind_of(ijk) != kind_of(tuple(back)):
                        diff += 1
                balance = -abs((idx - lo[a]) - (hi[a] - idx))
                score = (diff, balance)
                if best is None or score > best[0]:
                    best = (score, a, idx)
        _, a, idx = best
        back_hi = list(hi)
        back_hi[a] = idx
        front_lo = list(lo)
        front_lo[a] = idx
        return ("node", a, idx, region,
                build((tuple(front_lo), hi)), build((lo, tuple(back_hi))))

    return build(((0, 0, 0), tuple(g.n)))


def cells_in(region):
    lo, hi = region
    for i in range(lo[0], hi[0]):
        for j in range(lo[1], hi[1]):
            for k in range(lo[2], hi[2]):
                yield (i, j, k)


def slice_cells(region, a, idx):
    """The cells just in front of plane index idx on axis a, in region."""
    lo, hi = list(region[0]), list(region[1])
    lo[a], hi[a] = idx, idx + 1
    return cells_in((tuple(lo), tuple(hi)))


class Writer:
    """Collects the lumps of one BSP file, deduplicating what it can."""

    def __init__(self):
        self.planes, self.plane_ix = [], {}
        self.verts, self.vert_ix = [], {}
        self.edges, self.edge_ix = [(0, 0)], {}
        self.surfedges = []
        self.texinfo, self.texinfo_ix = [], {}
        self.faces = []
        self.light = bytearray()
        self.nodes, self.leafs, self.marks = [], [], []
        self.clipnodes = []

    def plane(self, axis, dist):
        key = (axis, dist)
        if key not in self.plane_ix:
            self.plane_ix[key] = len(self.planes)
            self.planes.append(key)
        return self.plane_ix[key]

    def vert(self, p):
        if p not in self.vert_ix:
            self.vert_ix[p] = len(self.verts)
            self.verts.append(p)
        return self.vert_ix[p]

    def edge(self, a, b):
        """Surfedge for a->b: an edge used backwards is negative."""
        if (b, a) in self.edge_ix:
            return -self.edge_ix[(b, a)]
        if (a, b) not in self.edge_ix:
            self.edge_ix[(a, b)] = len(self.edges)
            self.edges.append((a, b))
        return self.edge_ix[(a, b)]


# Texture axes for a face whose normal is on axis 0, 1 or 2 (the usual
# Quake projection: s runs along the world, t down the walls).
TEX_AXES = {0: ((0, 1, 0), (0, 0, -1)), 1: ((1, 0, 0), (0, 0, -1)),
            2: ((1, 0, 0), (0, -1, 0))}


def texcoord(vec, p):
    return float(sum(float(p[i]) * float(vec[i]) for i in range(3)))


def face_lightmap(w, corners, axis, lights, ambient, normal_sign):
    """Light samples of a rectangle, laid out as the engine indexes them."""
    s_vec, t_vec = TEX_AXES[axis]
    ss = [texcoord(s_vec, p) for p in corners]
    ts = [texcoord(t_vec, p) for p in corners]
    smin = math.floor(min(ss) / LIGHT_UNIT)
    smax = math.ceil(max(ss) / LIGHT_UNIT)
    tmin = math.floor(min(ts) / LIGHT_UNIT)
    tmax = math.ceil(max(ts) / LIGHT_UNIT)
    plane_v = corners[0][axis]
    ofs = len(w.light)
    for t in range(tmin, tmax + 1):
        for s in range(smin, smax + 1):
            p = [0.0, 0.0, 0.0]
            p[axis] = float(plane_v)
            # invert the projection: each texture axis is one world axis
            for vec, v in ((s_vec, s * LIGHT_UNIT), (t_vec, t * LIGHT_UNIT)):
                for i in range(3):
                    if vec[i]:
                        p[i] = v * vec[i]
            total = float(ambient)
            for (lx, ly, lz), strength in lights:
                d = (lx - p[0], ly - p[1], lz - p[2])
                dist = math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
                if dist < 1.0:
                    dist = 1.0
                cos = d[axis] * normal_sign / dist
                if cos > 0 and strength > dist:
                    total += (strength - dist) * cos
            w.light.append(min(MAX_LIGHT, int(total)))
    return ofs


def collect_faces(g, root, w, textures, lights, ambient):
    """Faces of every node; returns {node id: (first, count)} and leaf marks.

    For each node, the cell pairs across its plane inside its region that
    differ and have a visible side become unit faces, grouped by texture
    and merged greedily into rectangles.
    """
    node_faces = {}
    face_cells = []  # per face: the cells on its visible side

    def walk(n):
        if n[0] == "leaf":
            return
        _, a, idx, region, front, back = n
        u, v = [x for x in range(3) if x != a]
        units = {}
        for ijk in slice_cells(region, a, idx):
            b = list(ijk)
            b[a] -= 1
            b = tuple(b)
            fc, bc = g.get(ijk), g.get(b)
            if fc[0] == bc[0]:
                continue
            for seen, other, sign, cell in ((fc, bc, 1, ijk),
                                            (bc, fc, -1, b)):
                if seen[0] not in VISIBLE:
                    continue
                tex = textures(seen, other, a, sign)
                if tex is None:
                    continue
                key = (sign, tex)
                units.setdefault(key, {})[(cell[u], cell[v])] = cell
        first = len(w.faces)
        for key in sorted(units):
            sign, tex = key
            for rect in merge(units[key], g, u, v):
                emit(rect, a, g.c[a][idx], sign, tex, u, v)
        node_faces[id(n)] = (first, len(w.faces) - first)
        walk(front)
        walk(back)

    def emit(rect, a, dist, sign, tex, u, v):
        (u0, v0, u1, v1), cells = rect
        pts = []
        # clockwise seen from the front: (p1-p0) x (p2-p0) = -normal
        for pu, pv in ((u0, v0), (u0, v1), (u1, v1), (u1, v0)):
            p = [0, 0, 0]
            p[a], p[u], p[v] = dist, pu, pv
            pts.append(tuple(p))
        e1 = [pts[1][i] - pts[0][i] for i in range(3)]
        e2 = [pts[2][i] - pts[0][i] for i in range(3)]
        cross = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                 e1[0] * e2[1] - e1[1] * e2[0]]
        if (cross[a] > 0) == (sign > 0):
            pts.reverse()
        name, special = tex
        ti_key = (name, a)
        if ti_key not in w.texinfo_ix:
            w.texinfo_ix[ti_key] = len(w.texinfo)
            w.texinfo.append((TEX_AXES[a], name, TEX_SPECIAL if special
                              else 0))
        first_edge = len(w.surfedges)
        ids = [w.vert(p) for p in pts]
        for i in range(len(ids)):
            w.surfedges.append(w.edge(ids[i], ids[(i + 1) % len(ids)]))
        lightofs = -1
        if not special:
            lightofs = face_lightmap(w, pts, a, lights, ambient, sign)
        w.faces.append((w.plane(a, dist), 0 if sign > 0 else 1, first_edge,
                        len(ids), w.texinfo_ix[ti_key], lightofs))
        face_cells.append(cells)

    walk(root)
    return node_faces, face_cells


def merge(units, g, u, v):
    """Greedy rectangles over unit cells keyed by (iu, iv); FACE_MAX-bound."""
    left = dict(units)
    out = []
    for key in sorted(units):
        if key not in left:
            continue
        iu0, iv0 = key
        iu1 = iu0 + 1
        while ((iu1, iv0) in left and
               g.c[u][iu1 + 1] - g.c[u][iu0] <= FACE_MAX):
            iu1 += 1
        iv1 = iv0 + 1
        while (all((x, iv1) in left for x in range(iu0, iu1)) and
               g.c[v][iv1 + 1] - g.c[v][iv0] <= FACE_MAX):
            iv1 += 1
        cells = []
        for x in range(iu0, iu1):
            for y in range(iv0, iv1):
                cells.append(left.pop((x, y)))
        out.append(((g.c[u][iu0], g.c[v][iv0], g.c[u][iu1], g.c[v][iv1]),
                    cells))
    return out


def region_bounds(g, region):
    lo, hi = region
    return ([g.c[a][lo[a]] for a in range(3)],
            [g.c[a][hi[a]] for a in range(3)])


def emit_hull0(g, root, w, node_faces, face_cells):
    """Nodes and leafs; leaf 0 is the shared solid leaf."""
    cell_leaf = {}
    w.leafs.append((CONTENTS_SOLID, ([0] * 3, [0] * 3), []))

    def walk(n):
        if n[0] == "leaf":
            content = n[1]
            if content == CONTENTS_SOLID:
                return -1
            for ijk in cells_in(n[2]):
                cell_leaf[ijk] = len(w.leafs)
            w.leafs.append((content, region_bounds(g, n[2]), []))
            return -len(w.leafs)
        _, a, idx, region, front, back = n
        me = len(w.nodes)
        w.nodes.append(None)
        f = walk(front)
        b = walk(back)
        first, count = node_faces[id(n)]
        w.nodes[me] = (w.plane(a, g.c[a][idx]), f, b,
                       region_bounds(g, region), first, count)
        return me

    walk(root)
    for fnum, cells in enumerate(face_cells):
        for leaf in sorted({cell_leaf[c] for c in cells}):
            if fnum not in w.leafs[leaf][2]:
                w.leafs[leaf][2].append(fnum)


def emit_clip(g, root, w):
    """Clipnodes of one hull; returns the index of its first node."""
    def walk(n):
        if n[0] == "leaf":
            return n[1]
        _, a, idx, region, front, back = n
        me = len(w.clipnodes)
        w.clipnodes.append(None)
        f = walk(front)
        b = walk(back)
        w.clipnodes[me] = (w.plane(a, g.c[a][idx]), f, b)
        return me

    start = len(w.clipnodes)
    walk(root)
    return start


def hull0_kind(cell):
    """Hull 0 sees fences as solid and keeps air, water and sky apart."""
    c = cell[0]
    return CONTENTS_SOLID if c == FENCE else c


def build(boxes, bounds, entities, textures, miptex, lights, ambient):
    """The whole .bsp file as bytes.

    textures(seen, other, axis, sign) names the texture of a boundary
    ((name, special) or None for no face); miptex is the encoded textures
    lump with the names in its order; lights is [((x, y, z), strength)].
    """
    g = world_grid(boxes, bounds)
    w = Writer()
    root = build_tree(g, hull0_kind)
    node_faces, face_cells = collect_faces(g, root, w, textures, lights,
                                           ambient)
    emit_hull0(g, root, w, node_faces, face_cells)
    heads = [0]
    for mins, maxs in HULLS:
        hg = hull_grid(g, mins, maxs)
        heads.append(emit_clip(hg, build_tree(hg, lambda c: c[0]), w))
    heads.append(0)

    for leaf in w.leafs[1:]:
        first = len(w.marks)
        w.marks.extend(leaf[2])
        leaf[2][:] = [first, len(leaf[2])]
    w.leafs[0][2][:] = [0, 0]

    tex_names, tex_lump = miptex
    lumps = [b""] * HEADER_LUMPS
    lumps[0] = entities.encode() + b"\0"
    lumps[1] = b"".join(struct.pack("<4fi", *[1.0 if i == a else 0.0
                                              for i in range(3)],
                                    float(d), a) for a, d in w.planes)
    lumps[2] = tex_lump
    lumps[3] = b"".join(struct.pack("<3f", *map(float, p)) for p in w.verts)
    lumps[5] = b"".join(
        struct.pack("<ihh3h3hHH", pl, f, b, *lo, *hi, first, count)
        for pl, f, b, (lo, hi), first, count in w.nodes)
    lumps[6] = b"".join(
        struct.pack("<8fii", *s, 0.0, *t, 0.0, tex_names.index(name), flags)
        for (s, t), name, flags in w.texinfo)
    lumps[7] = b"".join(
        struct.pack("<hhihh4Bi", pl, side, fe, ne, ti, 0, 255, 255, 255, lo)
        for pl, side, fe, ne, ti, lo in w.faces)
    lumps[8] = bytes(w.light)
    lumps[9] = b"".join(struct.pack("<ihh", *c) for c in w.clipnodes)
    lumps[10] = b"".join(
        struct.pack("<ii3h3hHH4B", c, -1, *lo, *hi, m[0], m[1], 0, 0, 0, 0)
        for c, (lo, hi), m in w.leafs)
    lumps[11] = b"".join(struct.pack("<H", m) for m in w.marks)
    lumps[12] = b"".join(struct.pack("<HH", *e) for e in w.edges)
    lumps[13] = b"".join(struct.pack("<i", s) for s in w.surfedges)
    lo, hi = bounds
    lumps[14] = struct.pack("<9f4iiii", *map(float, lo), *map(float, hi),
                            0.0, 0.0, 0.0, *heads, len(w.leafs) - 1, 0,
                            len(w.faces))
    out = bytearray(struct.pack("<i", BSPVERSION) + bytes(8 * HEADER_LUMPS))
    for i, data in enumerate(lumps):
        struct.pack_into("<ii", out, 4 + 8 * i, len(out), len(data))
        out += data
        out += bytes(-len(out) % 4)
    return bytes(out)


def encode_miptex(textures):
    """The textures lump from [(name, width, height, pixels)], 4 mip levels.

    Each level halves the one above by taking the top-left pixel of every
    2x2 block, which is exact and needs no palette search.
    """
    header = struct.pack("<i", len(textures))
    offsets = []
    body = bytearray()
    base = 4 + 4 * len(textures)
    for name, w, h, px in textures:
        offsets.append(base + len(body))
        levels = []
        lw, lh, lpx = w, h, px
        for _ in range(MIPLEVELS):
            levels.append(lpx)
            lpx = bytes(lpx[y * 2 * lw + x * 2] for y in range(lh // 2)
                        for x in range(lw // 2))
            lw, lh = lw // 2, lh // 2
        mt_header = 16 + 4 * 2 + 4 * MIPLEVELS
        ofs = []
        pos = mt_header
        for lvl in levels:
            ofs.append(pos)
            pos += len(lvl)
        body += struct.pack("<16sII4I", name.encode(), w, h, *ofs)
        for lvl in levels:
            body += lvl
        body += bytes(-len(body) % 4)
    return ([t[0] for t in textures],
            header + b"".join(struct.pack("<i", o) for o in offsets) +
            bytes(body))
