/*
 * The 8042 PS/2 controller: two ports, the keyboard on the first and the
 * mouse on the second (the "auxiliary" port), sharing one data register.
 *
 * Context: see each function.
 * See: docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PS2_PORT_KBD 0
#define PS2_PORT_AUX 1

/* Device replies (the same on both ports). */
#define PS2_ACK    0xfa
#define PS2_RESEND 0xfe

/*
 * Initialises the controller, then the keyboard (kbd_init) and the mouse
 * (mouse_init), and registers the handler for IRQ 1 and IRQ 12. Returns 0,
 * -ENODEV if there is no controller, or -EIO if it failed its self-test
 * (logged). A missing or failed mouse is logged, not an error. Boot, with
 * interrupts off.
 */
int ps2_init(void);

/*
 * Sends a command byte to the device on `port` and waits for its ACK,
 * resending on RESEND. Returns 0 or -EIO. Polled, so boot only (interrupts
 * off), before the IRQ handler would take the reply.
 */
int ps2_device_command(unsigned port, uint8_t cmd);

/*
 * Writes one byte to the keyboard without waiting for the reply, which
 * arrives through the IRQ handler. Returns 0 or -EIO if the controller's
 * input buffer stayed full. Any context.
 */
int ps2_kbd_write(uint8_t byte);

/* True if ps2_init() found and enabled a mouse. */
bool ps2_has_mouse(void);
