/*
 * COM1, the serial port: the kernel log's first destination and, in tests
 * and `make run-headless`, the console itself.
 *
 * Context: any; serial_write() may be called with interrupts off.
 * See: docs/boot.md, docs/input.md
 */
#pragma once

#include <stddef.h>

/* Programs COM1 for 115200 baud, 8 data bits, no parity, 1 stop bit. */
void serial_init(void);

/*
 * Turns on the receive interrupt: bytes typed on COM1 go to the console
 * input queue (kernel/drivers/input.h). Boot, after irq_init().
 */
void serial_enable_input(void);

/* Writes n bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t n);

/* Writes n bytes exactly as they are (the terminal did its own ONLCR). */
void serial_write_raw(const char *s, size_t n);
