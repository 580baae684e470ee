/*
 * The PS/2 keyboard driver: from controller bytes to three queues.
 *
 * ps2.c hands every byte from the keyboard port to kbd_receive(), in the
 * interrupt handler. A byte is one of three things. Replies to a command
 * (ACK 0xFA, RESEND 0xFE) drive the LED state machine below. Error and
 * echo bytes (0x00, 0xFF, 0xEE) are dropped. Everything else is scancode
 * set 1: it goes into the raw scancode ring as it is, then through the
 * portable decoder (kernel/drivers/keymap.c), and each key event it yields
 * goes into the event ring; a key press that types a character also puts
 * that character into the console input queue (kernel/drivers/input.c).
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
#include "drivers/input.h"
#include "drivers/ps2.h"
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
    if (ev.ch && (ev.flags & KEYMAP_EV_PRESS))
        input_put_char(ev.ch);
    if (wanted_leds() != leds_before && kbd.led == LED_IDLE)
        led_start();
}

int kbd_init(void)
{
    int err;

    keymap_init(&kbd.keys);
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

int kbd_read_scancode(void)
{
    uint8_t byte;
    uint64_t flags = irq_save();
    bool got = ring_pop(&kbd.scancodes, &byte);
    irq_restore(flags);
    return got ? byte : -EAGAIN;
}

void kbd_get_stats(struct kbd_stats *out)
{
    uint64_t flags = irq_save();
    out->scancode_drops = ring_dropped(&kbd.scancodes);
    out->event_drops = ring_dropped(&kbd.events);
    out->bytes = kbd.bytes;
    irq_restore(flags);
}
