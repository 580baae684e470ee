"""Reads the text on a screendump of Ember's console, cell by cell.

The console draws each character as a glyph of the PSF font the kernel
embeds (build/font/console.psf, Debian's Lat15-VGA16), lit pixels in the
foreground colour. load_psf() reads the font and its Unicode table;
screen_rows() cuts a screendump into font-sized cells, turns each into the
bit pattern of its lit pixels and looks the pattern up among the glyphs:
an exact match gives the character (the lowest code point the glyph
draws), anything else (the cursor, which is drawn in reverse video) '\\0'.
So a test can compare what is on the screen with what it expects, text for
text, without any fuzzy recognition.

See: docs/console.md, tests/system/test_console.py
"""
import os

from harness import BUILD

FONT = os.path.join(BUILD, "font", "console.psf")
PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512, PSF1_HASTAB = 0x01, 0x06
PSF1_SEPARATOR, PSF1_STARTSEQ = 0xFFFF, 0xFFFE


def load_psf(path=FONT):
    """Returns (width, height, {code point: glyph rows}) of a PSF1 font."""
    data = open(path, "rb").read()
    if data[:2] != PSF1_MAGIC:
        raise AssertionError("only PSF1 fonts are expected here")
    mode, height = data[2], data[3]
    count = 512 if mode & PSF1_MODE512 else 256
    glyphs = [data[4 + i * height:4 + (i + 1) * height]
              for i in range(count)]
    cmap = {}
    if mode & PSF1_HASTAB:
        pos = 4 + count * height
        for g in range(count):
            in_seq = False
            while True:
                u = int.from_bytes(data[pos:pos + 2], "little")
                pos += 2
                if u == PSF1_SEPARATOR:
                    break
                if u == PSF1_STARTSEQ:
                    in_seq = True
                elif not in_seq and u not in cmap:
                    cmap[u] = g
    else:
        cmap = {i: i for i in range(count)}
    return 8, height, {c: glyphs[g] for c, g in cmap.items()}


def replacement_char(glyphs):
    """What screen_rows() reads where the console drew a character the font
    lacks: the font's U+FFFD (else its '?'), as the lowest code point that
    shares its glyph (Lat15 draws U+FFFD as U+25C8's diamond)."""
    want = glyphs.get(0xFFFD, glyphs[ord("?")])
    return chr(min(cp for cp, rows in glyphs.items() if rows == want))


def screen_rows(img, path=FONT):
    """The text of every console row of img, trailing blanks removed."""
    width, height, glyphs = load_psf(path)
    by_bits = {}
    for cp in sorted(glyphs, reverse=True):  # the lowest code point wins
        by_bits[bytes(glyphs[cp])] = chr(cp)
    bg = img.pixel(img.width - 1, img.height - 1)
    rows = []
    for r in range(img.height // height):
        text = []
        for c in range(img.width // width):
            bits = bytearray(height)
            for y in range(height):
                for x in range(width):
                    if img.pixel(c * width + x, r * height + y) != bg:
                        bits[y] |= 0x80 >> x
            text.append(by_bits.get(bytes(bits), "\0"))
        rows.append("".join(text).rstrip(" "))
    return rows
