/*
 * The seed's screen and input calls, driven by a system test through QMP.
 *
 * tests/system/test_seed.py plays the other side: after each "READY <step>"
 * line this program prints, the test looks at the screen or sends input,
 * and this program reports what the calls returned, one check per line
 * (tests/user/scheck.h). The steps:
 *
 *   blit     exclusive mode, a 100x60 pattern of four colour quadrants with
 *            one black marker pixel; the test checks a screendump, then
 *            taps `a` and `up`: call 7 must give their set-1 scancodes and
 *            call 9 'a' and SEED_KEY_UP.
 *   key      the test taps `z` and `left`: call 9 first this time.
 *   mouse    the test moves the mouse by (10, 20) and (5, -4): call 21 must
 *            add up to (15, 16), dy growing downward.
 *   button   the test holds the left button: call 22 gives SEED_MOUSE_LEFT;
 *   release  and after its release, 0.
 *   text     exclusive mode left; the test checks the console is back and
 *            types "ok" and Enter: the line read from the terminal must be
 *            just that, since keys typed in exclusive mode go only to the
 *            seed's queues and are flushed when it ends.
 *
 * Runs as init's child, so in process group 1, the console's foreground
 * group: it has the keyboard focus. Every wait gives up after
 * WAIT_MS so a lost event fails a check rather than hanging the test.
 *
 * See: docs/syscalls.md, tests/system/test_seed.py
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ember.h>

#include "scheck.h"

#define PAT_W   100
#define PAT_H   60
#define WAIT_MS 10000

static uint32_t pattern[PAT_W * PAT_H];

static void make_pattern(void)
{
    static const uint32_t quadrant[2][2] = {{0xff0000, 0x00ff00},
                                            {0x0000ff, 0xffffff}};
    for (int y = 0; y < PAT_H; y++) {
        for (int x = 0; x < PAT_W; x++)
            pattern[y * PAT_W + x] = quadrant[y >= PAT_H / 2][x >= PAT_W / 2];
    }
    pattern[1 * PAT_W + 1] = 0; /* the marker */
}

static uint64_t deadline(void)
{
    return ember_uptime_ms() + WAIT_MS;
}

/* Reads up to n scancodes, waiting for them; returns how many came. */
static int read_scancodes(uint8_t *out, int n)
{
    int got = 0;
    for (uint64_t end = deadline(); got < n && ember_uptime_ms() < end;) {
        uint8_t b = ember_scancode();
        if (b)
            out[got++] = b;
        else
            ember_yield();
    }
    return got;
}

/* Reads up to n translated keys, waiting for them; returns how many. */
static int read_keys(unsigned *out, int n)
{
    int got = 0;
    for (uint64_t end = deadline(); got < n && ember_uptime_ms() < end;) {
        unsigned k = ember_key();
        if (k)
            out[got++] = k;
        else
            ember_yield();
    }
    return got;
}

static void check_bytes(const char *name, const uint8_t *got, int n,
                        const uint8_t *want, int wn)
{
    char text[64] = "";
    for (int i = 0; i < n && i < 16; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), " %02x",
                 got[i]);
    sc_check(name, n == wn && memcmp(got, want, (size_t)wn) == 0,
             "got %d bytes:%s", n, text);
}

static void keys_after_blit(void)
{
    /* `a` press and release, then the up arrow (0xe0-prefixed). */
    static const uint8_t want[] = {0x1e, 0x9e, 0xe0, 0x48, 0xe0, 0xc8};
    uint8_t got[8];
    int n = read_scancodes(got, sizeof want);
    check_bytes("scancodes_of_a_and_up", got, n, want, sizeof want);
    unsigned k[2] = {0, 0};
    n = read_keys(k, 2);
    sc_check("keys_a_and_up", n == 2 && k[0] == 'a' && k[1] == SEED_KEY_UP,
             "got %d keys: %#x %#x", n, k[0], k[1]);
    sc_ret("no_more_scancodes", ember_scancode(), 0);
    sc_ret("no_more_keys", (long)ember_key(), 0);
}

static void keys_first(void)
{
    static const uint8_t want[] = {0x2c, 0xac, 0xe0, 0x4b, 0xe0, 0xcb};
    unsigned k[2] = {0, 0};
    int n = read_keys(k, 2);
    sc_check("keys_z_and_left", n == 2 && k[0] == 'z' && k[1] == SEED_KEY_LEFT,
             "got %d keys: %#x %#x", n, k[0], k[1]);
    uint8_t got[8];
    n = read_scancodes(got, sizeof want);
    check_bytes("scancodes_of_z_and_left", got, n, want, sizeof want);
}

static void mouse_motion(void)
{
    int sx = 0, sy = 0;
    for (uint64_t end = deadline(); ember_uptime_ms() < end;) {
        int dx, dy;
        ember_mouse_delta(&dx, &dy);
        sx += dx;
        sy += dy;
        if (sx == 15 && sy == 16)
            break;
        ember_yield();
    }
    sc_check("mouse_delta_adds_up", sx == 15 && sy == 16,
             "got (%d, %d), expected (15, 16)", sx, sy);
}

static unsigned wait_buttons(unsigned want)
{
    unsigned b = ember_mouse_buttons();
    for (uint64_t end = deadline(); b != want && ember_uptime_ms() < end;) {
        ember_yield();
        b = ember_mouse_buttons();
    }
    return b;
}

static void terminal_line(void)
{
    char line[128] = "";
    if (!fgets(line, sizeof line, stdin))
        snprintf(line, sizeof line, "(read failed: %s)", strerror(errno));
    sc_check("line_after_leave_is_only_new_keys", strcmp(line, "ok\n") == 0,
             "read \"%.*s\"", (int)strcspn(line, "\n"), line);
}

int main(void)
{
    sc_begin();
    make_pattern();
    sc_ret("enter_exclusive", ember_screen_enter(), 0);
    sc_ret("blit_pattern", ember_blit(pattern, PAT_W, PAT_H), 0);
    printf("READY blit\n");
    keys_after_blit();
    printf("READY key\n");
    keys_first();
    printf("READY mouse\n");
    mouse_motion();
    printf("READY button\n");
    unsigned b = wait_buttons(SEED_MOUSE_LEFT);
    sc_check("left_button_held", b == SEED_MOUSE_LEFT, "buttons %#x", b);
    printf("READY release\n");
    b = wait_buttons(0);
    sc_check("left_button_released", b == 0, "buttons %#x", b);
    sc_ret("leave_exclusive", ember_screen_leave(), 0);
    printf("READY text\n");
    terminal_line();
    return sc_done();
}
