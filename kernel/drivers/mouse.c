/*
 * The PS/2 mouse driver: three-byte packets to motion and buttons.
 *
 * In its default mode the mouse sends a packet of three bytes per report:
 *
 *   byte 0: bit 0 left, 1 right, 2 middle, 3 always 1, 4 X sign, 5 Y sign,
 *           6 X overflow, 7 Y overflow
 *   byte 1: X motion, the low 8 bits of a 9-bit two's complement number
 *   byte 2: Y motion, likewise, positive UP
 *
 * Keeping in step. If a byte is lost, every later packet would be read from
 * the wrong offset, so two checks find the start again. A byte 0 must have
 * bit 3 set: one that has not is thrown away (counted in resync_bytes). And
 * the bytes of one packet arrive together, so if more than
 * MOUSE_RESYNC_GAP_MS pass in the middle of a packet, the partial packet is
 * thrown away and the next byte starts a new one (Linux's psmouse does the
 * same with half a second). Bit 3 alone cannot catch everything, since a
 * motion byte may have it set, but with the gap rule a lost byte costs at
 * most the packets until the mouse next stops.
 *
 * A packet with an overflow bit carries meaningless motion on that axis;
 * that axis is taken as zero and the packet counted.
 *
 * Overflow of the ring: drop the oldest packet and count it. The running
 * totals for mouse_read_motion() never drop anything.
 *
 * Locking: mouse.packet and the totals are written in the IRQ handler; the
 * ring is popped and the totals read with interrupts off.
 * Context: interrupt (receive), any (readers).
 * See: docs/input.md
 */
#include "drivers/mouse.h"

#include "arch/x86_64/irq.h"
#include "drivers/ps2.h"
#include "drivers/timer.h"
#include "lib/ring.h"

#define MOUSE_CMD_DEFAULTS  0xf6
#define MOUSE_CMD_REPORTING 0xf4
#define MOUSE_PACKET_BYTES  3
#define MOUSE_B0_BUTTONS    0x07
#define MOUSE_B0_SYNC       0x08
#define MOUSE_B0_X_SIGN     0x10
#define MOUSE_B0_Y_SIGN     0x20
#define MOUSE_B0_X_OVERFLOW 0x40
#define MOUSE_B0_Y_OVERFLOW 0x80
#define MOUSE_SIGN_EXTEND   0x100 /* the 9th bit of a motion value */
#define MOUSE_RESYNC_GAP_MS 500

static struct mouse_event event_storage[MOUSE_EVENT_RING];

static struct {
    uint8_t packet[MOUSE_PACKET_BYTES];
    unsigned have;         /* bytes of packet[] filled */
    uint64_t last_byte_ms; /* uptime of the previous byte */
    struct ring events;
    int32_t sum_dx, sum_dy; /* since the last mouse_read_motion() */
    uint8_t buttons;
    struct mouse_stats stats; /* but for event_drops, kept by the ring */
} mouse = {
    .events = {.buf = (uint8_t *)event_storage,
               .elem_size = sizeof(struct mouse_event),
               .cap = MOUSE_EVENT_RING},
};

int mouse_init(void)
{
    int err = ps2_device_command(PS2_PORT_AUX, MOUSE_CMD_DEFAULTS);
    if (err == 0)
        err = ps2_device_command(PS2_PORT_AUX, MOUSE_CMD_REPORTING);
    return err;
}

/* A 9-bit two's complement value: the byte, and its sign from byte 0. */
static int16_t motion(uint8_t low, bool negative)
{
    return (int16_t)(negative ? (int)low - MOUSE_SIGN_EXTEND : (int)low);
}

static void decode_packet(void)
{
    uint8_t b0 = mouse.packet[0];
    struct mouse_event ev = {
        .dx = motion(mouse.packet[1], b0 & MOUSE_B0_X_SIGN),
        /* PS/2 counts up as positive; Ember's dy grows downward. */
        .dy = (int16_t)-motion(mouse.packet[2], b0 & MOUSE_B0_Y_SIGN),
        .buttons = b0 & MOUSE_B0_BUTTONS,
    };

    if (b0 & (MOUSE_B0_X_OVERFLOW | MOUSE_B0_Y_OVERFLOW))
        mouse.stats.overflows++;
    if (b0 & MOUSE_B0_X_OVERFLOW)
        ev.dx = 0;
    if (b0 & MOUSE_B0_Y_OVERFLOW)
        ev.dy = 0;
    mouse.stats.packets++;
    mouse.sum_dx += ev.dx;
    mouse.sum_dy += ev.dy;
    mouse.buttons = ev.buttons;
    ring_push(&mouse.events, &ev);
}

void mouse_receive(uint8_t byte)
{
    uint64_t now = timer_uptime_ms();

    if (mouse.have > 0 && now - mouse.last_byte_ms > MOUSE_RESYNC_GAP_MS) {
        mouse.stats.resync_bytes += mouse.have;
        mouse.have = 0;
    }
    mouse.last_byte_ms = now;
    if (mouse.have == 0 && !(byte & MOUSE_B0_SYNC)) {
        mouse.stats.resync_bytes++;
        return;
    }
    mouse.packet[mouse.have++] = byte;
    if (mouse.have == MOUSE_PACKET_BYTES) {
        mouse.have = 0;
        decode_packet();
    }
}

bool mouse_read_event(struct mouse_event *out)
{
    uint64_t flags = irq_save();
    bool got = ring_pop(&mouse.events, out);
    irq_restore(flags);
    return got;
}

void mouse_read_motion(int32_t *dx, int32_t *dy, uint8_t *buttons)
{
    uint64_t flags = irq_save();
    *dx = mouse.sum_dx;
    *dy = mouse.sum_dy;
    *buttons = mouse.buttons;
    mouse.sum_dx = mouse.sum_dy = 0;
    irq_restore(flags);
}

uint8_t mouse_buttons(void)
{
    return mouse.buttons; /* one byte: a plain read is atomic */
}

void mouse_flush(void)
{
    struct mouse_event ev;
    uint64_t flags = irq_save();
    mouse.sum_dx = mouse.sum_dy = 0;
    while (ring_pop(&mouse.events, &ev))
        ;
    irq_restore(flags);
}

void mouse_get_stats(struct mouse_stats *out)
{
    uint64_t flags = irq_save();
    *out = mouse.stats;
    out->event_drops = ring_dropped(&mouse.events);
    irq_restore(flags);
}
