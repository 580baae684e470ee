"""The map's textures, drawn from integer arithmetic only.

Each texture is a list of palette indexes, width x height, both multiples
of 16 (the engine keeps four mip levels, each half the one above). The
noise is an integer hash of the pixel's position, so the same bytes come
out on every machine. Names carry the engine's meanings: "sky..." is the
sky (256x128: the left half is the front layer with index 0 see-through,
the right half the back layer), "*..." a turbulent liquid, "{..." an
alpha-tested fence whose index 255 is a hole.

See: docs/quake-testgame.md
"""
from gfx import ramp, TRANSPARENT

HASH_MUL = 2654435761  # Knuth's multiplicative hash constant (2^32 / phi)
HASH_MASK = 0xFFFFFFFF
SIZE = 64
SKY_W, SKY_H = 256, 128
SHADE_MAX = 15


def noise(x, y, seed):
    """A repeatable pseudo-random value 0..255 for a pixel."""
    h = ((x * 73856093) ^ (y * 19349663) ^ (seed * 83492791)) & HASH_MASK
    h = (h * HASH_MUL) & HASH_MASK
    return (h >> 13) & 0xFF


def draw(w, h, fn):
    return bytes(fn(x, y) for y in range(h) for x in range(w))


def brick(x, y):
    row = y // 16
    bx = (x + (8 if row % 2 else 0)) % 32
    if y % 16 in (0, 1) or bx in (0, 1):
        return ramp(11, 5)
    return ramp(4, 7 + noise(x, y, 1) % 4)


def floor_tiles(x, y):
    if x % 32 == 0 or y % 32 == 0:
        return ramp(1, 3)
    checker = (x // 32 + y // 32) % 2
    return ramp(1, 8 + 3 * checker + noise(x, y, 2) % 2)


def ceiling(x, y):
    if x % 16 == 0 or y % 16 == 0:
        return ramp(11, 4)
    return ramp(11, 9 + noise(x, y, 3) % 2)


def metal(x, y):
    rivet = x % 32 in (3, 4) and y % 32 in (3, 4)
    if rivet:
        return ramp(2, SHADE_MAX)
    return ramp(2, 6 + (x + y) % 8 // 4 + noise(x, y, 4) % 2)


def water(x, y):
    wave = (x + 2 * y + noise(x // 8, y // 8, 5) // 32) % 16
    return ramp(6, 6 + wave // 3)


def sky(x, y):
    if x < SKY_W // 2:  # front layer: sparse clouds, 0 is see-through
        n = noise(x // 4, y // 4, 6)
        return ramp(0, 12 + n % 4) if n > 200 else 0
    return ramp(10, 4 + (y * 8) // SKY_H + noise(x, y, 7) % 2)


def fence(x, y):
    if x % 16 in (0, 1, 2) or y % 16 in (0, 1, 2):
        return ramp(5, 10 + noise(x, y, 8) % 3)
    return TRANSPARENT


# name -> (width, height, drawing); the order is the textures lump's order
TEXTURES = [
    ("brick", SIZE, SIZE, brick),
    ("floor", SIZE, SIZE, floor_tiles),
    ("ceiling", SIZE, SIZE, ceiling),
    ("metal", SIZE, SIZE, metal),
    ("*water", SIZE, SIZE, water),
    ("sky", SKY_W, SKY_H, sky),
    ("{fence", SIZE, SIZE, fence),
]


def all_textures():
    return [(name, w, h, draw(w, h, fn)) for name, w, h, fn in TEXTURES]
