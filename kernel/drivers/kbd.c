/*
 * The PS/2 keyboard driver: from controller bytes to three queues.
 *
 * ps2.c hands every byte from the keyboard port to kbd_receive(), in the
 * interrupt handler. A byte is one of three things. Replies to a command
 * (ACK 0xFA, RESEND 0xFE) drive the LED state machine below. Error and
 * echo bytes (0x00, 0xFF, 0xEE) are dropped. Everything else is scancode
 * set 1: it goes into the raw scancode ring as it is, then through the
 * portable decoder (kernel/drivers/keymap.c), and each key event it yields
 * goes into the event ring; a key press that types something also puts the
 * bytes an xterm would send into the console input queue
 * (kernel/drivers/input.c): the character, Enter as '\r', Backspace as DEL,
 * arrows and the other special keys as escape sequences (shift+PgUp and
 * shift+PgDn page the console's scroll-back instead) - except while a
 * program holds the seed's exclusive screen mode: then keys reach only the
 * two rings, which kbd_set_exclusive() empties at each change of mode, so
 * no key crosses from the game to the shell or back. A key still held
 * when exclusive mode ends (the 'y' that quit DOOM) keeps repeating: its
 * repeats type nothing until it is released and pressed again.
 *
 * One combination is taken here, below every program and in every mode:
 * ctrl-alt-backspace raises the input layer's escape event, which the
 * terminal's thread turns into the end of the exclusive screen's holder
 * (kernel/proc/screen.c). So a game that reads raw keys can always be left.
 *
 * The layout (us, uk, de or fr, kernel/drivers/keylayout.c) is chosen by
 * the kernel option keymap= and changed by `loadkeys` (the terminal's
 * EMBER_KDSETKEYMAP ioctl, kbd_set_layout()); keys that type a character
 * beyond ASCII put its UTF-8 bytes into the input queue.
 *
 * The LEDs: when caps lock or num lock changes, the keyboard must be told
 * with command 0xED and then the LED byte, each answered by an ACK. In an
 * interrupt handler we cannot wait for the ACK, so the exchange is a small
 * state machine advanced by the ACKs themselves as they arrive among the
 * scancodes. A change while one exchange is running is sent after it.
 *
 * Overflow, in both rings: drop the oldest and count it (lib/ring.h).
 *
 * Locking: kbd.keys and kbd.led are touched only in the IRQ handler (and
 * at boot); the rings are pushed there and popped with interrupts off.
 * Context: interrupt (receive), any (readers).
 * See: docs/input.md
 */
#include "drivers/kbd.h"

#include "arch/x86_64/irq.h"
#include "drivers/console.h"
#include "drivers/input.h"
#include "drivers/keylayout.h"
#include "drivers/ps2.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "lib/ring.h"

#include <ember/errno.h>

#define KBD_CMD_SET_LEDS     0xed
#define KBD_CMD_SCANCODE_SET 0xf0
#define KBD_CMD_ENABLE       0xf4
#define KBD_SCANCODE_SET_2   0x02 /* translated by the controller to set 1 */
#define KBD_LEDS_OFF         0x00
#define KBD_LED_SCROLL       0x01
#define KBD_LED_NUM          0x02
#define KBD_LED_CAPS         0x04
#define KBD_ERROR            0x00 /* key detection error or overrun */
#define KBD_ERROR2           0xff
#define KBD_ECHO             0xee
#define KBD_LED_RETRIES      3
#define KBD_TYPED_ENTER      '\r' /* what a terminal sends for Enter */
#define KBD_TYPED_BACKSPACE  0x7f /* and for Backspace: DEL */
#define KBD_UTF8_MAX         3    /* bytes of a code point below 0x10000 */
#define UTF8_1_LIMIT         0x80
#define UTF8_2_LIMIT         0x800
#define UTF8_LEAD2           0xC0
#define UTF8_LEAD3           0xE0
#define UTF8_CONT            0x80
#define UTF8_CONT_BITS       0x3F

enum led_state {
    LED_IDLE,     /* no exchange running */
    LED_WAIT_CMD, /* sent 0xED, waiting for its ACK */
    LED_WAIT_ARG, /* sent the LED byte, waiting for its ACK */
};

static uint8_t scancode_storage[KBD_SCANCODE_RING];
static struct key_event event_storage[KBD_EVENT_RING];

static struct {
    struct keymap_state keys;
    struct ring scancodes;
    struct ring events;
    enum led_state led;
    uint8_t led_sent;    /* the LED byte of the running exchange */
    uint8_t led_retries; /* RESENDs answered in this exchange */
    uint64_t bytes;
    bool exclusive; /* the seed's exclusive mode: keys skip the terminal */
    const struct keylayout *layout;     /* NULL until one is set: us */
    uint32_t from_game[KEY_CODES / 32]; /* held since exclusive mode ended */
} kbd = {
    .scancodes = {.buf = scancode_storage,
                  .elem_size = 1,
                  .cap = KBD_SCANCODE_RING},
    .events = {.buf = (uint8_t *)event_storage,
               .elem_size = sizeof(struct key_event),
               .cap = KBD_EVENT_RING},
};

static uint8_t wanted_leds(void)
{
    uint8_t mods = keymap_mods(&kbd.keys);
    uint8_t leds = 0;

    if (mods & KEYMAP_MOD_CAPS)
        leds |= KBD_LED_CAPS;
    if (mods & KEYMAP_MOD_NUM)
        leds |= KBD_LED_NUM;
    return leds;
}

static void led_start(void)
{
    kbd.led_sent = wanted_leds();
    kbd.led_retries = 0;
    kbd.led = ps2_kbd_write(KBD_CMD_SET_LEDS) == 0 ? LED_WAIT_CMD : LED_IDLE;
}

/* An ACK or RESEND arrived during an LED exchange. */
static void led_reply(uint8_t reply)
{
    if (reply == PS2_RESEND) {
        if (kbd.led_retries++ >= KBD_LED_RETRIES) {
            kbd.led = LED_IDLE;
            return;
        }
        ps2_kbd_write(kbd.led == LED_WAIT_CMD ? KBD_CMD_SET_LEDS
                                              : kbd.led_sent);
        return;
    }
    if (kbd.led == LED_WAIT_CMD) {
        kbd.led = ps2_kbd_write(kbd.led_sent) == 0 ? LED_WAIT_ARG : LED_IDLE;
        return;
    }
    kbd.led = LED_IDLE;
    if (wanted_leds() != kbd.led_sent)
        led_start(); /* the locks changed again meanwhile */
}

/*
 * The bytes an xterm sends for the keys that type no character of their
 * own (xterm's ctlseqs, "PC-Style Function Keys").
 */
static const struct {
    uint16_t code;
    const char *seq;
} key_sequences[] = {
    {KEY_UP, "\x1b[A"},       {KEY_DOWN, "\x1b[B"},
    {KEY_RIGHT, "\x1b[C"},    {KEY_LEFT, "\x1b[D"},
    {KEY_HOME, "\x1b[H"},     {KEY_END, "\x1b[F"},
    {KEY_INSERT, "\x1b[2~"},  {KEY_DELETE, "\x1b[3~"},
    {KEY_PGUP, "\x1b[5~"},    {KEY_PGDN, "\x1b[6~"},
    {KEY_F1, "\x1bOP"},       {KEY_F1 + 1, "\x1bOQ"},
    {KEY_F1 + 2, "\x1bOR"},   {KEY_F1 + 3, "\x1bOS"},
    {KEY_F1 + 4, "\x1b[15~"}, {KEY_F1 + 5, "\x1b[17~"},
    {KEY_F1 + 6, "\x1b[18~"}, {KEY_F1 + 7, "\x1b[19~"},
    {KEY_F1 + 8, "\x1b[20~"}, {KEY_F10, "\x1b[21~"},
    {KEY_F11, "\x1b[23~"},    {KEY_F12, "\x1b[24~"},
};

/*
 * Puts what a key press types into the console input queue, as an xterm
 * would send it: Enter as '\r' and Backspace as DEL (the terminal's ICRNL
 * and VERASE expect those), the keys above as escape sequences, any other
 * key as its character from the keymap.
 */
/* Writes cp (below 0x10000) as UTF-8 into out, NUL-terminated. */
static void utf8_encode(uint16_t cp, char *out)
{
    if (cp < UTF8_1_LIMIT) {
        out[0] = (char)cp;
    } else if (cp < UTF8_2_LIMIT) {
        out[0] = (char)(UTF8_LEAD2 | cp >> 6);
        out[1] = (char)(UTF8_CONT | (cp & UTF8_CONT_BITS));
    } else {
        out[0] = (char)(UTF8_LEAD3 | cp >> 12);
        out[1] = (char)(UTF8_CONT | (cp >> 6 & UTF8_CONT_BITS));
        out[2] = (char)(UTF8_CONT | (cp & UTF8_CONT_BITS));
    }
}

static void type_key(const struct key_event *ev)
{
    bool shift = ev->mods & KEYMAP_MOD_SHIFT;
    if (shift && (ev->code == KEY_PGUP || ev->code == KEY_PGDN)) {
        console_view_scroll(ev->code == KEY_PGUP ? 1 : -1);
        return; /* the console's scroll-back, as on Linux */
    }
    const char *seq = NULL;
    char one[2 * KBD_UTF8_MAX + 1] = {0}; /* a dead key's accent, the key */
    for (size_t i = 0; i < sizeof key_sequences / sizeof key_sequences[0];
         i++) {
        if (key_sequences[i].code == ev->code)
            seq = key_sequences[i].seq;
    }
    if (!seq && ev->ch == '\n')
        one[0] = KBD_TYPED_ENTER;
    else if (!seq && ev->ch == '\b')
        one[0] = KBD_TYPED_BACKSPACE;
    else if (!seq && ev->before) { /* a dead key that did not compose */
        utf8_encode(ev->before, one);
        utf8_encode(ev->cp, one + strlen(one));
    } else if (!seq) {
        utf8_encode(ev->cp, one);
    }
    if (!seq)
        seq = one;
    if (*seq)
        console_view_reset(); /* a key that types returns to the bottom */
    for (const char *p = seq; *p; p++)
        input_put_char((uint8_t)*p);
}

/*
 * Ctrl-alt-backspace, X11's old "zap": the way out of a program that holds
 * the screen and reads the raw keys. It types nothing.
 */
static bool is_escape(const struct key_event *ev)
{
    uint8_t both = KEYMAP_MOD_CTRL | KEYMAP_MOD_ALT;
    return ev->code == KEY_BACKSPACE && (ev->flags & KEYMAP_EV_PRESS) &&
           !(ev->flags & KEYMAP_EV_REPEAT) && (ev->mods & both) == both;
}

void kbd_receive(uint8_t byte)
{
    struct key_event ev;

    kbd.bytes++;
    if (kbd.led != LED_IDLE && (byte == PS2_ACK || byte == PS2_RESEND)) {
        led_reply(byte);
        return;
    }
    if (byte == PS2_ACK || byte == KBD_ERROR || byte == KBD_ERROR2 ||
        byte == KBD_ECHO)
        return;
    ring_push(&kbd.scancodes, &byte);
    uint8_t leds_before = wanted_leds();
    if (!keymap_feed(&kbd.keys, byte, &ev))
        return;
    ring_push(&kbd.events, &ev);
    if (is_escape(&ev)) {
        input_put_escape(); /* below any program, exclusive mode or not */
        return;
    }
    uint32_t bit = 1u << (ev.code % 32);
    bool game_key = ev.code < KEY_CODES && (kbd.from_game[ev.code / 32] & bit);
    if (game_key && !(ev.flags & KEYMAP_EV_REPEAT))
        kbd.from_game[ev.code / 32] &= ~bit; /* released, or pressed anew */
    else if ((ev.flags & KEYMAP_EV_PRESS) && !kbd.exclusive && !game_key)
        type_key(&ev);
    if (wanted_leds() != leds_before && kbd.led == LED_IDLE)
        led_start();
}

int kbd_set_layout(const char *name)
{
    const struct keylayout *l = keylayout_find(name);
    if (!l)
        return -EINVAL;
    uint64_t flags = irq_save();
    keymap_set_layout(&kbd.keys, l);
    kbd.layout = l;
    irq_restore(flags);
    return 0;
}

const char *kbd_layout(void)
{
    return kbd.layout ? kbd.layout->name : KBD_DEFAULT_LAYOUT;
}

int kbd_init(void)
{
    int err;
    char name[KEYLAYOUT_NAME_MAX];

    keymap_init(&kbd.keys);
    if (cmdline_get("keymap", name, sizeof name) && kbd_set_layout(name) < 0)
        klog(LOG_WARN, "kbd: no keymap '%s'; us, uk, de and fr exist", name);
    if ((err = ps2_device_command(PS2_PORT_KBD, KBD_CMD_SCANCODE_SET)) < 0 ||
        (err = ps2_device_command(PS2_PORT_KBD, KBD_SCANCODE_SET_2)) < 0 ||
        (err = ps2_device_command(PS2_PORT_KBD, KBD_CMD_SET_LEDS)) < 0 ||
        (err = ps2_device_command(PS2_PORT_KBD, KBD_LEDS_OFF)) < 0 ||
        (err = ps2_device_command(PS2_PORT_KBD, KBD_CMD_ENABLE)) < 0)
        return err;
    return 0;
}

bool kbd_read_event(struct key_event *out)
{
    uint64_t flags = irq_save();
    bool got = ring_pop(&kbd.events, out);
    irq_restore(flags);
    return got;
}

void kbd_set_exclusive(bool on)
{
    uint8_t byte;
    struct key_event ev;
    uint64_t flags = irq_save();
    kbd.exclusive = on;
    for (size_t i = 0; i < KEY_CODES / 32; i++)
        kbd.from_game[i] = on ? 0 : kbd.keys.down[i];
    while (ring_pop(&kbd.scancodes, &byte))
        ;
    while (ring_pop(&kbd.events, &ev))
        ;
    irq_restore(flags);
}

int kbd_read_scancode(void)
{
    uint8_t byte;
    uint64_t flags = irq_save();
    bool got = ring_pop(&kbd.scancodes, &byte);
    irq_restore(flags);
    return got ? byte : -EAGAIN;
}

void kbd_flush(void)
{
    struct key_event ev;
    while (kbd_read_scancode() >= 0)
        ;
    while (kbd_read_event(&ev))
        ;
}

void kbd_get_stats(struct kbd_stats *out)
{
    uint64_t flags = irq_save();
    out->scancode_drops = ring_dropped(&kbd.scancodes);
    out->event_drops = ring_dropped(&kbd.events);
    out->bytes = kbd.bytes;
    irq_restore(flags);
}
