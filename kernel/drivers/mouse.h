/*
 * The PS/2 mouse: motion and three buttons, as packets and as totals.
 *
 * Ember's axes are the screen's: dx positive to the right, dy positive
 * DOWNWARD (as QMP's and most window systems' are; the PS/2 mouse reports
 * up as positive, and the driver flips it).
 *
 * Context: see each function.
 * See: docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MOUSE_EVENT_RING 128
#define MOUSE_LEFT       0x01
#define MOUSE_RIGHT      0x02
#define MOUSE_MIDDLE     0x04

/* One packet: the motion since the previous one and the buttons now. */
struct mouse_event {
    int16_t dx;      /* right is positive */
    int16_t dy;      /* down is positive */
    uint8_t buttons; /* MOUSE_LEFT | MOUSE_RIGHT | MOUSE_MIDDLE */
};

/*
 * Sets the mouse up through the controller (ps2.c calls it): defaults,
 * then data reporting on. Returns 0 or -EIO. Boot, interrupts off.
 */
int mouse_init(void);

/* One byte from the auxiliary port, from ps2.c's interrupt handler. IRQ. */
void mouse_receive(uint8_t byte);

/* Pops the oldest packet into *out; false if none. Any context. */
bool mouse_read_event(struct mouse_event *out);

/*
 * The motion summed over every packet since the previous call, and the
 * buttons now; the sums restart at zero. For pollers that want "where did
 * it go" rather than each step (DOOM). Any context.
 */
void mouse_read_motion(int32_t *dx, int32_t *dy, uint8_t *buttons);

/* The buttons held now (MOUSE_*), without touching the motion. Any context. */
uint8_t mouse_buttons(void);

/* Drops the motion and events not yet read. Any context. */
void mouse_flush(void);

struct mouse_stats {
    uint64_t packets;      /* whole packets decoded */
    uint64_t resync_bytes; /* bytes thrown away to find a packet start */
    uint64_t overflows;    /* packets whose motion overflowed (dropped) */
    uint64_t event_drops;  /* packets lost to a full ring */
};

void mouse_get_stats(struct mouse_stats *out);
