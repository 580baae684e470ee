/*
 * The keyboard layouts: the keys of the UK, German and French layouts that
 * differ from the US one, from the keyboards' engravings (the layouts of
 * X11's xkb "gb", "de" and "fr"), and the composition of their dead keys
 * with the vowels (Latin-1's accented letters).
 *
 * Each table is sorted by key code and searched in order; a layout has a
 * few dozen entries, and a key is looked up once per press.
 *
 * Portable: also built into tests/host/test_keymap.c.
 * See: docs/console.md
 */
#include "drivers/keylayout.h"

#include "lib/portable.h"

/* Code points by name, where a bare number would not say which. */
#define CP_POUND     0x00A3
#define CP_NOT       0x00AC
#define CP_BROKEN    0x00A6
#define CP_EURO      0x20AC
#define CP_SECTION   0x00A7
#define CP_DEGREE    0x00B0
#define CP_ACUTE     0x00B4
#define CP_MICRO     0x00B5
#define CP_SUP2      0x00B2
#define CP_SUP3      0x00B3
#define CP_SZLIG     0x00DF
#define CP_A_UML     0x00E4
#define CP_O_UML     0x00F6
#define CP_U_UML     0x00FC
#define CP_A_UML_UP  0x00C4
#define CP_O_UML_UP  0x00D6
#define CP_U_UML_UP  0x00DC
#define CP_E_ACUTE   0x00E9
#define CP_E_GRAVE   0x00E8
#define CP_C_CEDILLA 0x00E7
#define CP_A_GRAVE   0x00E0
#define CP_U_GRAVE   0x00F9
#define CP_DIAERESIS 0x00A8
#define CP_CURRENCY  0x00A4

/* Set-1 make codes of the keys that move between layouts. */
enum {
    K_1 = 0x02,
    K_2,
    K_3,
    K_4,
    K_5,
    K_6,
    K_7,
    K_8,
    K_9,
    K_0,
    K_MINUS,
    K_EQUAL,
    K_Q = 0x10,
    K_W,
    K_E,
    K_Y = 0x15,
    K_LBRACKET = 0x1a,
    K_RBRACKET,
    K_A = 0x1e,
    K_SEMICOLON = 0x27,
    K_APOSTROPHE,
    K_GRAVE,
    K_BACKSLASH = 0x2b,
    K_Z,
    K_M = 0x32,
    K_COMMA,
    K_DOT,
    K_SLASH,
    K_LESS = 0x56,
};

static const struct keylayout_key uk_keys[] = {
    {K_2, '2', '"', 0, 0},
    {K_3, '3', CP_POUND, 0, 0},
    {K_4, '4', '$', CP_EURO, 0},
    {K_APOSTROPHE, '\'', '@', 0, 0},
    {K_GRAVE, '`', CP_NOT, CP_BROKEN, 0},
    {K_BACKSLASH, '#', '~', 0, 0},
    {K_LESS, '\\', '|', 0, 0},
};

static const struct keylayout_key de_keys[] = {
    {K_2, '2', '"', CP_SUP2, 0},
    {K_3, '3', CP_SECTION, CP_SUP3, 0},
    {K_6, '6', '&', 0, 0},
    {K_7, '7', '/', '{', 0},
    {K_8, '8', '(', '[', 0},
    {K_9, '9', ')', ']', 0},
    {K_0, '0', '=', '}', 0},
    {K_MINUS, CP_SZLIG, '?', '\\', 0},
    {K_EQUAL, CP_ACUTE, '`', 0, KEYLAYOUT_DEAD_NORMAL | KEYLAYOUT_DEAD_SHIFTED},
    {K_Q, 'q', 'Q', '@', 0},
    {K_E, 'e', 'E', CP_EURO, 0},
    {K_Y, 'z', 'Z', 0, 0},
    {K_LBRACKET, CP_U_UML, CP_U_UML_UP, 0, 0},
    {K_RBRACKET, '+', '*', '~', 0},
    {K_SEMICOLON, CP_O_UML, CP_O_UML_UP, 0, 0},
    {K_APOSTROPHE, CP_A_UML, CP_A_UML_UP, 0, 0},
    {K_GRAVE, '^', CP_DEGREE, 0, KEYLAYOUT_DEAD_NORMAL},
    {K_BACKSLASH, '#', '\'', 0, 0},
    {K_Z, 'y', 'Y', 0, 0},
    {K_M, 'm', 'M', CP_MICRO, 0},
    {K_COMMA, ',', ';', 0, 0},
    {K_DOT, '.', ':', 0, 0},
    {K_SLASH, '-', '_', 0, 0},
    {K_LESS, '<', '>', '|', 0},
};

static const struct keylayout_key fr_keys[] = {
    {K_1, '&', '1', 0, 0},
    {K_2, CP_E_ACUTE, '2', '~', 0},
    {K_3, '"', '3', '#', 0},
    {K_4, '\'', '4', '{', 0},
    {K_5, '(', '5', '[', 0},
    {K_6, '-', '6', '|', 0},
    {K_7, CP_E_GRAVE, '7', '`', 0},
    {K_8, '_', '8', '\\', 0},
    {K_9, CP_C_CEDILLA, '9', '^', 0},
    {K_0, CP_A_GRAVE, '0', '@', 0},
    {K_MINUS, ')', CP_DEGREE, ']', 0},
    {K_EQUAL, '=', '+', '}', 0},
    {K_Q, 'a', 'A', 0, 0},
    {K_W, 'z', 'Z', 0, 0},
    {K_E, 'e', 'E', CP_EURO, 0},
    {K_LBRACKET, '^', CP_DIAERESIS, 0,
     KEYLAYOUT_DEAD_NORMAL | KEYLAYOUT_DEAD_SHIFTED},
    {K_RBRACKET, '$', CP_POUND, CP_CURRENCY, 0},
    {K_A, 'q', 'Q', 0, 0},
    {K_SEMICOLON, 'm', 'M', 0, 0},
    {K_APOSTROPHE, CP_U_GRAVE, '%', 0, 0},
    {K_GRAVE, CP_SUP2, 0, 0, 0},
    {K_BACKSLASH, '*', CP_MICRO, 0, 0},
    {K_Z, 'w', 'W', 0, 0},
    {K_M, ',', '?', 0, 0},
    {K_COMMA, ';', '.', 0, 0},
    {K_DOT, ':', '/', 0, 0},
    {K_SLASH, '!', CP_SECTION, 0, 0},
    {K_LESS, '<', '>', 0, 0},
};

#define LAYOUT(n, t)                                                           \
    {                                                                          \
        n, t, sizeof t / sizeof t[0]                                           \
    }

static const struct keylayout layouts[] = {
    {"us", NULL, 0},
    LAYOUT("uk", uk_keys),
    LAYOUT("de", de_keys),
    LAYOUT("fr", fr_keys),
};

/*
 * The accented letters, by accent, in the order of BASES (Latin-1: each
 * capital is its small letter minus 0x20); 0 where Latin-1 has none.
 */
static const char BASES[] = "aeiouy";
static const struct {
    uint16_t accent;
    uint8_t small[sizeof BASES - 1];
} accents[] = {
    {'^', {0xE2, 0xEA, 0xEE, 0xF4, 0xFB, 0}},
    {CP_ACUTE, {0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xFD}},
    {'`', {0xE0, 0xE8, 0xEC, 0xF2, 0xF9, 0}},
    {CP_DIAERESIS, {0xE4, 0xEB, 0xEF, 0xF6, 0xFC, 0xFF}},
};
#define LATIN1_CASE 0x20 /* small - capital, for these letters */

uint16_t keylayout_compose(uint16_t accent, uint16_t next)
{
    if (next == ' ' || next == accent)
        return accent;
    bool capital = next >= 'A' && next <= 'Z';
    uint16_t lower = capital ? (uint16_t)(next + ('a' - 'A')) : next;
    for (size_t i = 0; i < sizeof accents / sizeof accents[0]; i++) {
        for (size_t k = 0; accents[i].accent == accent && k < sizeof BASES - 1;
             k++) {
            uint8_t c = accents[i].small[k];
            if (lower != (uint8_t)BASES[k] || !c)
                continue;
            if (capital && c == 0xFF)
                return 0; /* Ÿ is not in Latin-1 */
            return capital ? (uint16_t)(c - LATIN1_CASE) : c;
        }
    }
    return 0;
}

const struct keylayout *keylayout_find(const char *name)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        if (strcmp(layouts[i].name, name) == 0)
            return &layouts[i];
    }
    return NULL;
}

const struct keylayout_key *keylayout_key(const struct keylayout *l,
                                          uint16_t code)
{
    for (size_t i = 0; l && i < l->count; i++) {
        if (l->keys[i].code == code)
            return &l->keys[i];
    }
    return NULL;
}
