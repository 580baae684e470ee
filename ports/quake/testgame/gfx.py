"""The test game's pictures: palette, colour map, font, menu and status pics.

Everything is drawn here from numbers: the palette is sixteen ramps of
sixteen shades, the colour map darkens and brightens within a ramp, the
console font (the engine's "conchars", 128x128, 16x16 cells of 8x8) is
taken from Debian's console font Lat15-VGA8 (console-setup-linux, which the
kernel's own font also comes from), and every menu or status-bar picture
is a framed box with its name written in that font. Quake's engine insists
that each of these files exists; it does not care what they show.

Formats (the engine's wad.h and draw.h): a picture ("qpic") is two
little-endian int32s, width and height, then one palette index per pixel;
gfx.wad is "WAD2", the lump count, the directory offset, the lumps, then
32-byte directory entries (filepos, disksize, size, type, compression, two
pad bytes, a 16-byte name). In the console font and in pictures drawn with
transparency, index 0 is see-through in the font and 255 elsewhere.

See: docs/quake-testgame.md
"""
import gzip
import os
import struct

FONT_PATH = "/usr/share/consolefonts/Lat15-VGA8.psf.gz"
PSF1_MAGIC = b"\x36\x04"
PSF1_MODE_512 = 0x01
PSF1_MODE_HAS_TAB = 0x02
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE
GLYPH_PX = 8
CONCHARS_SIDE = 128  # 16 cells of 8 pixels, the engine's fixed size

RAMP_LEN = 16
TRANSPARENT = 255  # the engine's see-through index in '{' textures and pics
# Colour map rows: row 32 is unlit colour, 0 twice as bright, 63 black.
COLORMAP_ROWS = 64
COLORMAP_NORMAL_ROW = 32
FULLBRIGHT_FIRST = 224  # the engine draws 224..254 at full brightness

# The sixteen ramps, each from its darkest to its brightest colour. Ramp
# 0 is grey (so index 15 is white); the others are the colours the map's
# textures use. The last ramp (240..255) ends in the transparent index.
RAMP_ENDS = [
    ((0, 0, 0), (255, 255, 255)),      # 0 grey
    ((24, 12, 4), (200, 150, 100)),    # 1 brown (floor)
    ((16, 16, 32), (160, 170, 220)),   # 2 blue-grey (metal)
    ((8, 24, 8), (130, 220, 120)),     # 3 green
    ((32, 8, 4), (230, 110, 80)),      # 4 brick red
    ((32, 28, 4), (250, 230, 110)),    # 5 yellow
    ((4, 16, 32), (90, 170, 250)),     # 6 water blue
    ((20, 4, 24), (200, 120, 230)),    # 7 violet
    ((12, 20, 20), (150, 210, 200)),   # 8 teal
    ((28, 20, 16), (240, 210, 180)),   # 9 sand
    ((8, 8, 48), (120, 150, 255)),     # 10 sky blue
    ((24, 24, 24), (180, 180, 160)),   # 11 stone
    ((40, 16, 0), (255, 170, 60)),     # 12 orange
    ((0, 0, 0), (255, 255, 255)),      # 13 grey again (text)
    ((60, 20, 0), (255, 240, 120)),    # 14 fullbright fire (224..239)
    ((0, 40, 60), (160, 255, 255)),    # 15 fullbright cyan (240..254)
]
TRANSPARENT_RGB = (159, 91, 83)

# Indexes the drawings use, by name.
C_BLACK = 0
C_WHITE = 15
C_TEXT = 13 * RAMP_LEN + 14
C_TEXT_ALT = 12 * RAMP_LEN + 12  # the engine's second text colour (128..255)
C_FRAME = 2 * RAMP_LEN + 10
C_PANEL = 2 * RAMP_LEN + 3


def ramp(n, shade):
    """Palette index of shade 0..15 of ramp n."""
    return n * RAMP_LEN + max(0, min(RAMP_LEN - 1, shade))


def palette():
    """gfx/palette.lmp: 256 RGB triples."""
    out = bytearray()
    for lo, hi in RAMP_ENDS:
        for s in range(RAMP_LEN):
            out += bytes(lo[c] + (hi[c] - lo[c]) * s // (RAMP_LEN - 1)
                         for c in range(3))
    out[TRANSPARENT * 3:TRANSPARENT * 3 + 3] = bytes(TRANSPARENT_RGB)
    return bytes(out)


def colormap():
    """gfx/colormap.lmp: 64 light levels of 256 indexes, then one byte.

    Each colour stays in its ramp and moves by shades: row 32 is the colour
    itself, rows above it brighten, rows below darken down to black in row
    63. Fullbright colours and the transparent index never change.
    """
    out = bytearray()
    for row in range(COLORMAP_ROWS):
        for i in range(256):
            if i >= FULLBRIGHT_FIRST:
                out.append(i)
                continue
            n, s = divmod(i, RAMP_LEN)
            # shade scaled by (64 - row) / 32, rounded down
            out.append(ramp(n, (s + 1) * (COLORMAP_ROWS - row)
                            // COLORMAP_NORMAL_ROW - 1)
                       if row < COLORMAP_ROWS - 1 else C_BLACK)
    out.append(0)
    return bytes(out)


def load_font(path=FONT_PATH):
    """ASCII glyphs of a PSF1 font with a Unicode table: {codepoint: rows}."""
    if not os.path.exists(path):
        raise SystemExit(f"testgame: {path} is missing "
                         "(Debian package console-setup-linux)")
    data = gzip.open(path).read()
    if data[:2] != PSF1_MAGIC:
        raise SystemExit(f"testgame: {path} is not a PSF1 font")
    mode, height = data[2], data[3]
    if height != GLYPH_PX or not mode & PSF1_MODE_HAS_TAB:
        raise SystemExit(f"testgame: {path}: need 8x8 glyphs with a table")
    count = 512 if mode & PSF1_MODE_512 else 256
    glyphs = data[4:4 + count * height]
    table = data[4 + count * height:]
    out = {}
    pos = 0
    for g in range(count):
        in_seq = False
        while pos + 2 <= len(table):
            (u,) = struct.unpack_from("<H", table, pos)
            pos += 2
            if u == PSF1_SEPARATOR:
                break
            if u == PSF1_STARTSEQ:
                in_seq = True
            elif not in_seq and u < 128 and u not in out:
                out[u] = glyphs[g * height:(g + 1) * height]
    return out


def conchars(font):
    """The console font: 256 cells; 128..255 repeat 0..127 in a second colour."""
    img = bytearray(CONCHARS_SIDE * CONCHARS_SIDE)
    for ch in range(256):
        rows = font.get(ch & 0x7F)
        if rows is None:
            continue
        colour = C_TEXT_ALT if ch & 0x80 else C_TEXT
        cx, cy = (ch % 16) * GLYPH_PX, (ch // 16) * GLYPH_PX
        for y in range(GLYPH_PX):
            for x in range(GLYPH_PX):
                if rows[y] & (0x80 >> x):
                    img[(cy + y) * CONCHARS_SIDE + cx + x] = colour
    return bytes(img)


class Canvas:
    """A picture being drawn: width x height palette indexes."""

    def __init__(self, w, h, fill):
        self.w, self.h = w, h
        self.px = bytearray([fill]) * (w * h)

    def rect(self, x0, y0, x1, y1, c):
        for y in range(max(0, y0), min(self.h, y1)):
            for x in range(max(0, x0), min(self.w, x1)):
                self.px[y * self.w + x] = c

    def text(self, font, x, y, s, c, scale=1):
        for ch in s:
            rows = font.get(ord(ch), bytes(GLYPH_PX))
            for gy in range(GLYPH_PX):
                for gx in range(GLYPH_PX):
                    if rows[gy] & (0x80 >> gx):
                        self.rect(x + gx * scale, y + gy * scale,
                                  x + (gx + 1) * scale, y + (gy + 1) * scale,
                                  c)
            x += GLYPH_PX * scale

    def qpic(self):
        return struct.pack("<ii", self.w, self.h) + bytes(self.px)


def framed(font, w, h, label, fill=C_PANEL, scale=1):
    """A box with a one-pixel frame and its label in the middle."""
    c = Canvas(w, h, fill)
    c.rect(0, 0, w, 1, C_FRAME)
    c.rect(0, h - 1, w, h, C_FRAME)
    c.rect(0, 0, 1, h, C_FRAME)
    c.rect(w - 1, 0, w, h, C_FRAME)
    tw = len(label) * GLYPH_PX * scale
    c.text(font, max(1, (w - tw) // 2), max(1, (h - GLYPH_PX * scale) // 2),
           label, C_WHITE, scale)
    return c.qpic()


def menu_list(font, w, items):
    """A menu's item picture: one line per item, 20 pixels apart (menu.c)."""
    line_px = 20
    c = Canvas(w, line_px * len(items), TRANSPARENT)
    for i, item in enumerate(items):
        c.text(font, 0, i * line_px + 2, item, C_WHITE, 2)
    return c.qpic()


# The menu's pictures: name -> (width, height, label); lists are drawn by
# menu_list. Sizes follow how menu.c places them, not what they showed.
MENU_PICS = {
    "qplaque": (32, 144, "Q"), "ttl_main": (96, 24, "MAIN"),
    "ttl_sgl": (128, 24, "SINGLE"), "ttl_cstm": (128, 24, "CUSTOM"),
    "p_option": (128, 24, "OPTIONS"), "p_load": (96, 24, "LOAD"),
    "p_save": (96, 24, "SAVE"), "p_multi": (128, 24, "MULTI"),
    "vidmodes": (128, 24, "VIDEO"), "bigbox": (72, 72, "Ember"),
    "menuplyr": (48, 56, "you"), "dim_ipx": (240, 20, "IPX"),
    "dim_tcp": (240, 20, "TCP/IP"), "netmen3": (240, 20, "TCP/IP"),
    "netmen4": (240, 20, "IPX"), "pause": (128, 24, "PAUSED"),
    "loading": (128, 24, "LOADING"), "complete": (192, 24, "COMPLETE"),
    "inter": (160, 144, "TIME"), "finale": (288, 24, "THE END"),
    "ranking": (160, 24, "RANKING"),
}
MENU_LISTS = {
    "mainmenu": ["Single", "Multi", "Options", "Help", "Quit"],
    "sp_menu": ["New game", "Load", "Save"],
    "mp_menu": ["Join", "New game", "Setup"],
}
BOX_PARTS = ["box_tl", "box_tm", "box_tr", "box_ml", "box_mm", "box_mm2",
             "box_mr", "box_bl", "box_bm", "box_br"]
MENUDOT_FRAMES = 6
HELP_PAGES = 6
CONBACK_W, CONBACK_H = 320, 200
BOX_PART_PX = 8
MENUDOT_PX = 24
MENULIST_W = 240


def lmp_files(font, title):
    """Every gfx/*.lmp the engine may open, as {path: bytes}."""
    files = {"gfx/palette.lmp": palette(), "gfx/colormap.lmp": colormap()}
    for name, (w, h, label) in MENU_PICS.items():
        files[f"gfx/{name}.lmp"] = framed(font, w, h, label)
    for name, items in MENU_LISTS.items():
        files[f"gfx/{name}.lmp"] = menu_list(font, MENULIST_W, items)
    for name in BOX_PARTS:
        files[f"gfx/{name}.lmp"] = Canvas(BOX_PART_PX, BOX_PART_PX,
                                          C_PANEL).qpic()
    for i in range(1, MENUDOT_FRAMES + 1):
        c = Canvas(MENUDOT_PX, MENUDOT_PX, TRANSPARENT)
        c.rect(4 + i, 4, 4 + i + 8, 20, ramp(14, 8 + i))
        files[f"gfx/menudot{i}.lmp"] = c.qpic()
    for i in range(HELP_PAGES):
        files[f"gfx/help{i}.lmp"] = framed(font, CONBACK_W, CONBACK_H,
                                           f"{title} - help {i + 1}")
    c = Canvas(CONBACK_W, CONBACK_H, ramp(2, 2))
    for y in range(0, CONBACK_H, 2):
        c.rect(0, y, CONBACK_W, y + 1, ramp(2, 3))
    c.text(font, CONBACK_W - 8 * len(title) - 8, CONBACK_H - 16, title,
           ramp(2, 12))
    files["gfx/conback.lmp"] = c.qpic()
    return files


# Status bar pictures in gfx.wad (sbar.c): name -> (width, height).
SBAR_PICS = {"sbar": (320, 24), "ibar": (320, 24), "scorebar": (320, 24),
             "backtile": (64, 64), "disc": (24, 24), "turtle": (32, 32),
             "net": (32, 32), "complete": (32, 32)}
SBAR_SMALL = (
    ["num_%d" % i for i in range(10)] + ["anum_%d" % i for i in range(10)] +
    ["num_minus", "anum_minus", "num_colon", "num_slash"] +
    ["face%d" % i for i in range(1, 6)] +
    ["face_p%d" % i for i in range(1, 6)] +
    ["face_invis", "face_invul2", "face_inv2", "face_quad"] +
    ["sb_" + n for n in ("shells", "nails", "rocket", "cells", "armor1",
                         "armor2", "armor3", "key1", "key2", "invis",
                         "invuln", "suit", "quad", "sigil1", "sigil2",
                         "sigil3", "sigil4")] +
    [p + w for p in ("inv_", "inv2_") + tuple("inva%d_" % i
                                               for i in range(1, 6))
     for w in ("shotgun", "sshotgun", "nailgun", "snailgun", "rlaunch",
               "srlaunch", "lightng")])
SBAR_SMALL_PX = 24
WAD_TYPE_QPIC = 0x42   # TYP_QPIC in wad.h
WAD_TYPE_MIPTEX = 0x44  # TYP_MIPTEX: the engine reads conchars raw
WAD_NAME_LEN = 16


def wad(font):
    """gfx.wad: conchars plus the status bar's pictures."""
    lumps = [("conchars", WAD_TYPE_MIPTEX, conchars(font))]
    for name, (w, h) in SBAR_PICS.items():
        lumps.append((name, WAD_TYPE_QPIC, framed(font, w, h, "")))
    for name in SBAR_SMALL:
        label = name.split("_")[-1][:2]
        lumps.append((name, WAD_TYPE_QPIC,
                      framed(font, SBAR_SMALL_PX, SBAR_SMALL_PX, label)))
    header_len = 12
    body = bytearray()
    directory = bytearray()
    for name, typ, data in lumps:
        pos = header_len + len(body)
        body += data
        body += bytes(-len(body) % 4)
        directory += struct.pack("<iiiBBBB16s", pos, len(data), len(data),
                                 typ, 0, 0, 0,
                                 name.encode().ljust(WAD_NAME_LEN, b"\0"))
    return (b"WAD2" + struct.pack("<ii", len(lumps), header_len + len(body)) +
            bytes(body) + bytes(directory))
