/*
 * `ktest=input_echo`: prints every input event in a fixed format, so the
 * system tests (tests/system/test_input.py) can send keys and mouse motion
 * through QMP and check exactly what the kernel made of them.
 *
 * One line per event, oldest first within each source:
 *
 *   key: <down|up|repeat> <qemu name> mods=<shift+ctrl+alt+caps+num|none>
 *        ch=<0xNN|none>                                   (on one line)
 *   mouse: dx=<n> dy=<n> buttons=<left+right+middle|none>
 *   char: 0xNN          (the console input queue: keyboard and COM1)
 *
 * The raw scancode ring is drained too, and its bytes counted. A ctrl-D
 * (0x04) in the console input ends the mode after an `echo: stats` line
 * with that count and every drop and resync counter, so a test can prove
 * nothing was lost. Sources are drained in the order keys, mouse, chars, so a
 * key's `key:` line always comes before the `char:` line it typed.
 *
 * Context: the boot task, interrupts on.
 * See: docs/input.md
 */
#include "ktest.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "drivers/input.h"
#include "drivers/kbd.h"
#include "drivers/keymap.h"
#include "drivers/mouse.h"
#include "drivers/ps2.h"
#include "lib/kprintf.h"

#define ECHO_END   0x04 /* ctrl-D */
#define LIST_BYTES 32

/* The controller and both devices answered at boot (QEMU has both). */
KTEST(input_ps2_devices_found)
{
    KTEST_CHECK(ps2_has_mouse());
    struct kbd_stats ks;
    kbd_get_stats(&ks);
    KTEST_CHECK(ks.scancode_drops == 0 && ks.event_drops == 0);
}

/* Joins the names of the set bits with '+', or "none". */
static const char *bit_list(char *out, unsigned bits, const char *const *names,
                            unsigned n)
{
    char *p = out;

    for (unsigned i = 0; i < n; i++) {
        if (!(bits & (1u << i)))
            continue;
        if (p != out)
            *p++ = '+';
        for (const char *s = names[i]; *s; s++)
            *p++ = *s;
    }
    *p = '\0';
    return p == out ? "none" : out;
}

static void print_key(const struct key_event *ev)
{
    /* In KEYMAP_MOD_* bit order. */
    static const char *const mod_names[] = {"shift", "ctrl", "alt", "caps",
                                            "num"};
    char mods[LIST_BYTES];
    const char *name = keymap_name(ev->code);
    const char *what = !(ev->flags & KEYMAP_EV_PRESS)   ? "up"
                       : (ev->flags & KEYMAP_EV_REPEAT) ? "repeat"
                                                        : "down";

    kprintf("key: %s %s mods=%s ", what, name ? name : "?",
            bit_list(mods, ev->mods, mod_names, 5));
    if (ev->ch)
        kprintf("ch=0x%02x\n", ev->ch);
    else
        kprintf("ch=none\n");
}

static void print_mouse(const struct mouse_event *ev)
{
    /* In MOUSE_* bit order. */
    static const char *const button_names[] = {"left", "right", "middle"};
    char buttons[LIST_BYTES];

    kprintf("mouse: dx=%d dy=%d buttons=%s\n", ev->dx, ev->dy,
            bit_list(buttons, ev->buttons, button_names, 3));
}

static uint64_t scancode_bytes;

static void print_stats(void)
{
    struct kbd_stats ks;
    struct mouse_stats ms;

    kbd_get_stats(&ks);
    mouse_get_stats(&ms);
    kprintf("echo: stats scancodes=%lu scancode_drops=%lu event_drops=%lu "
            "mouse_packets=%lu mouse_resync_bytes=%lu mouse_overflows=%lu "
            "mouse_drops=%lu input_drops=%lu\n",
            (unsigned long)scancode_bytes, (unsigned long)ks.scancode_drops,
            (unsigned long)ks.event_drops, (unsigned long)ms.packets,
            (unsigned long)ms.resync_bytes, (unsigned long)ms.overflows,
            (unsigned long)ms.event_drops, (unsigned long)input_dropped());
}

/* Prints one pending event; returns 0 if none, ECHO_END to stop, else 1. */
static int echo_one(void)
{
    struct key_event key;
    struct mouse_event m;

    while (kbd_read_scancode() >= 0)
        scancode_bytes++;
    if (kbd_read_event(&key)) {
        print_key(&key);
        return 1;
    }
    if (mouse_read_event(&m)) {
        print_mouse(&m);
        return 1;
    }
    int c = input_read_char();
    if (c < 0)
        return 0;
    kprintf("char: 0x%02x\n", c);
    return c == ECHO_END ? ECHO_END : 1;
}

KTEST_MANUAL(input_echo)
{
    /* The boot's own bytes (none, normally) are not part of the test. */
    while (kbd_read_scancode() >= 0)
        ;
    kprintf("echo: ready\n");
    for (;;) {
        int r = echo_one();
        if (r == ECHO_END)
            break;
        if (r)
            continue;
        /* Nothing pending: halt until an interrupt, without a lost wake-up. */
        cli();
        r = echo_one();
        if (r == ECHO_END)
            break;
        if (r == 0)
            irq_wait();
        else
            sti();
    }
    sti();
    print_stats();
}
