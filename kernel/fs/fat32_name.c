/*
 * Names: 8.3 short names, VFAT long names, and the choice between them.
 *
 * Every entry has an 8.3 short name (11 bytes, upper case, space padded); a
 * long name, when there is one, sits in the slots just before it, 13 UTF-16
 * units per slot, tied to the short entry by a checksum of its 11 bytes.
 * To match what mtools and Windows write (and so what `mdir` lists), a new
 * name becomes:
 *   - a short entry alone when it is a valid 8.3 name whose base and
 *     extension are each all one case: "SH", "readme.txt", "README.txt".
 *     Lower-case parts are stored upper case with the case bits of byte 12
 *     (0x08 base, 0x10 extension) set;
 *   - a long name plus its upper-cased self as the alias when it is a valid
 *     8.3 name of mixed case: "Makefile" -> MAKEFILE;
 *   - otherwise a long name plus a generated alias, "longfilename.txt" ->
 *     LONGFI~1.TXT, following Microsoft's basis-name rules (upper case,
 *     invalid characters to '_', spaces and extra periods dropped, 6
 *     characters and a ~N tail that fat32_dir.c makes unique).
 * Short names with bytes above 0x7F are read as code page 850, mtools' and
 * fsck.fat's default; the names Ember makes are ASCII.
 *
 * Locking: none; pure functions.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define SHORT_BASE_LEN  8
#define SHORT_EXT_LEN   3
#define SHORT_LEN       11
#define ASCII_MAX       0x7F
#define UNICODE_MAX     0x10FFFF
#define SURROGATE_LO    0xD800
#define SURROGATE_MID   0xDC00
#define SURROGATE_HI    0xDFFF
#define REPLACEMENT     0xFFFD
#define TAIL_DIGITS_MAX 6 /* "~999999" still leaves one base character */

/* Code page 850, bytes 0x80..0xFF (generated from Python's cp850 codec). */
static const uint16_t cp850_high[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA,
    0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6,
    0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC,
    0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC,
    0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1,
    0x00C2, 0x00C0, 0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5,
    0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, 0x00F0,
    0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE, 0x00CF, 0x2518,
    0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580, 0x00D3, 0x00DF, 0x00D4,
    0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, 0x00DE, 0x00DA, 0x00DB, 0x00D9,
    0x00FD, 0x00DD, 0x00AF, 0x00B4, 0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6,
    0x00A7, 0x00F7, 0x00B8, 0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2,
    0x25A0, 0x00A0,
};

static bool is_upper(uint32_t c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(uint32_t c)
{
    return c >= 'a' && c <= 'z';
}

static uint32_t to_upper(uint32_t c)
{
    return is_lower(c) ? c - 'a' + 'A' : c;
}

/* Characters an 8.3 name may hold besides letters and digits. */
static bool short_char_ok(uint32_t c)
{
    if (is_upper(c) || is_lower(c) || (c >= '0' && c <= '9'))
        return true;
    return c < ASCII_MAX && c != 0 && strchr("$%'-_@~`!(){}^#&", (int)c);
}

/* Characters no name may hold (Microsoft's list, plus controls). */
static bool long_char_ok(uint32_t c)
{
    return c >= ' ' && !(c < ASCII_MAX && strchr("\"*/:<>?\\|", (int)c));
}

/*
 * Append code point c to out as UTF-8; returns the bytes written (1..4).
 * The lead byte's high bits give the length (0xC0, 0xE0, 0xF0) and each
 * continuation byte carries 6 bits under 0x80 (RFC 3629).
 */
static size_t put_utf8(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/*
 * Decode one UTF-8 code point from s[0..len); returns its length, or 0 if
 * the bytes are not valid UTF-8 (overlong, a surrogate, past U+10FFFF).
 */
static size_t get_utf8(const char *s, size_t len, uint32_t *out)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t n = p[0] < 0x80   ? 1
               : p[0] < 0xC2 ? 0
               : p[0] < 0xE0 ? 2
               : p[0] < 0xF0 ? 3
               : p[0] < 0xF5 ? 4
                             : 0;
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (n == 0 || n > len)
        return 0;
    uint32_t c = n == 1 ? p[0] : p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3F);
    }
    if (c < min[n] || c > UNICODE_MAX ||
        (c >= SURROGATE_LO && c <= SURROGATE_HI))
        return 0;
    *out = c;
    return n;
}

size_t fat_ucs2_to_utf8(const uint16_t *in, uint32_t n, char *out)
{
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c >= SURROGATE_LO && c < SURROGATE_MID && i + 1 < n &&
            in[i + 1] >= SURROGATE_MID && in[i + 1] <= SURROGATE_HI) {
            c = 0x10000 + ((c - SURROGATE_LO) << 10) +
                (in[i + 1] - SURROGATE_MID);
            i++;
        } else if (c >= SURROGATE_LO && c <= SURROGATE_HI) {
            c = REPLACEMENT; /* a lone surrogate is not a character */
        }
        len += put_utf8(c, out + len);
    }
    out[len] = '\0';
    return len;
}

void fat_short_display(const struct fat_dirent_raw *de, char *out, bool cased)
{
    size_t len = 0;
    for (int part = 0; part < 2; part++) {
        int from = part == 0 ? 0 : SHORT_BASE_LEN;
        int to = part == 0 ? SHORT_BASE_LEN : SHORT_LEN;
        uint8_t lower_bit =
            part == 0 ? FAT_CASE_LOWER_BASE : FAT_CASE_LOWER_EXT;
        while (to > from && de->name[to - 1] == ' ')
            to--;
        if (part == 1 && to > from)
            out[len++] = '.';
        for (int i = from; i < to; i++) {
            uint32_t c = de->name[i];
            if (i == 0 && c == FAT_SLOT_KANJI_E5)
                c = FAT_SLOT_DELETED;
            if (c > ASCII_MAX)
                c = cp850_high[c - ASCII_MAX - 1];
            else if (cased && (de->ntres & lower_bit) && is_upper(c))
                c = c - 'A' + 'a';
            len += put_utf8(c, out + len);
        }
    }
    out[len] = '\0';
}

uint8_t fat_lfn_checksum(const uint8_t name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < SHORT_LEN; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
    return sum;
}

bool fat_name_eq(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen; i++) {
        if (b[i] == '\0' || to_upper((uint8_t)a[i]) != to_upper((uint8_t)b[i]))
            return false;
    }
    return b[i] == '\0';
}

bool fat_is_dot_name(const char *name, size_t len)
{
    return (len == 1 && name[0] == '.') ||
           (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Decode and check a new name into out->ucs. */
static int decode_name(const char *name, size_t len, struct fat_name_plan *out)
{
    if (len == 0 || fat_is_dot_name(name, len))
        return -EINVAL;
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return -EINVAL; /* Windows would drop them; we refuse instead */
    out->ucs_len = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = get_utf8(name + i, len - i, &c);
        if (n == 0 || !long_char_ok(c))
            return -EINVAL;
        uint32_t units = c >= 0x10000 ? 2 : 1;
        if (out->ucs_len + units > FAT_NAME_MAX)
            return -ENAMETOOLONG;
        if (units == 2) {
            out->ucs[out->ucs_len++] =
                (uint16_t)(SURROGATE_LO + ((c - 0x10000) >> 10));
            out->ucs[out->ucs_len++] =
                (uint16_t)(SURROGATE_MID + ((c - 0x10000) & 0x3FF));
        } else {
            out->ucs[out->ucs_len++] = (uint16_t)c;
        }
        i += n;
    }
    return 0;
}

/* Which cases the letters of one part of a name use. */
enum {
    CASE_NONE = 0, /* no letters: "123", "$%" */
    CASE_UPPER = 1,
    CASE_LOWER = 2,
    CASE_MIXED = CASE_UPPER | CASE_LOWER,
};

static int part_case(const uint16_t *s, uint32_t n)
{
    int seen = CASE_NONE;
    for (uint32_t i = 0; i < n; i++)
        seen |= is_upper(s[i]) ? CASE_UPPER : is_lower(s[i]) ? CASE_LOWER : 0;
    return seen;
}

/*
 * If the name is a valid 8.3 name, fill the upper-cased short name and
 * return true; *base_len says where the extension starts in ucs.
 */
static bool plain_short(struct fat_name_plan *p, uint32_t *base_len)
{
    uint32_t dot = p->ucs_len;
    for (uint32_t i = 0; i < p->ucs_len; i++) {
        if (p->ucs[i] == '.') {
            if (dot != p->ucs_len || i == 0)
                return false; /* a second period, or a leading one */
            dot = i;
        } else if (!short_char_ok(p->ucs[i])) {
            return false;
        }
    }
    uint32_t ext_len = dot == p->ucs_len ? 0 : p->ucs_len - dot - 1;
    if (dot > SHORT_BASE_LEN || ext_len > SHORT_EXT_LEN)
        return false;
    memset(p->short_name, ' ', SHORT_LEN);
    for (uint32_t i = 0; i < dot; i++)
        p->short_name[i] = (uint8_t)to_upper(p->ucs[i]);
    for (uint32_t i = 0; i < ext_len; i++)
        p->short_name[SHORT_BASE_LEN + i] =
            (uint8_t)to_upper(p->ucs[dot + 1 + i]);
    *base_len = dot;
    return true;
}

/* Microsoft's basis name: the alias before its ~N tail. */
static void basis_name(struct fat_name_plan *p)
{
    uint32_t start = 0, last_dot = p->ucs_len;
    while (start < p->ucs_len && (p->ucs[start] == '.' || p->ucs[start] == ' '))
        start++;
    for (uint32_t i = start; i < p->ucs_len; i++)
        if (p->ucs[i] == '.')
            last_dot = i;
    memset(p->short_name, ' ', SHORT_LEN);
    uint32_t n = 0;
    for (uint32_t i = start; i < last_dot && n < SHORT_BASE_LEN; i++) {
        uint32_t c = p->ucs[i];
        if (c == ' ' || c == '.')
            continue;
        p->short_name[n++] = (uint8_t)(short_char_ok(c) ? to_upper(c) : '_');
    }
    if (n == 0)
        p->short_name[0] = '_';
    n = 0;
    for (uint32_t i = last_dot + 1; i < p->ucs_len && n < SHORT_EXT_LEN; i++) {
        uint32_t c = p->ucs[i];
        if (c == ' ')
            continue;
        p->short_name[SHORT_BASE_LEN + n++] =
            (uint8_t)(short_char_ok(c) ? to_upper(c) : '_');
    }
}

int fat_name_plan(const char *name, size_t len, struct fat_name_plan *out)
{
    int err = decode_name(name, len, out);
    if (err < 0)
        return err;
    out->case_bits = 0;
    out->needs_lfn = true;
    out->try_plain = false;
    uint32_t base_len;
    if (!plain_short(out, &base_len)) {
        basis_name(out);
        return 0;
    }
    int base_case = part_case(out->ucs, base_len);
    int ext_case =
        base_len == out->ucs_len
            ? 0
            : part_case(out->ucs + base_len + 1, out->ucs_len - base_len - 1);
    if (base_case == CASE_MIXED || ext_case == CASE_MIXED) {
        out->try_plain = true; /* "Makefile": long name, alias MAKEFILE */
        return 0;
    }
    out->needs_lfn = false;
    if (base_case == CASE_LOWER)
        out->case_bits |= FAT_CASE_LOWER_BASE;
    if (ext_case == CASE_LOWER)
        out->case_bits |= FAT_CASE_LOWER_EXT;
    return 0;
}

void fat_name_tail(uint8_t out[11], const uint8_t basis[11], uint32_t n)
{
    char digits[TAIL_DIGITS_MAX + 1];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0 && nd < TAIL_DIGITS_MAX);
    int base_len = 0;
    while (base_len < SHORT_BASE_LEN && basis[base_len] != ' ')
        base_len++;
    int keep =
        base_len < SHORT_BASE_LEN - 1 - nd ? base_len : SHORT_BASE_LEN - 1 - nd;
    memcpy(out, basis, SHORT_LEN);
    int i = keep;
    out[i++] = '~';
    while (nd > 0)
        out[i++] = (uint8_t)digits[--nd];
    while (i < SHORT_BASE_LEN)
        out[i++] = ' ';
}
