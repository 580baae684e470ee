/*
 * COM1, the serial port: the kernel log's first destination and, in tests
 * and `make run-headless`, the console itself.
 *
 * Context: any; serial_write() may be called with interrupts off.
 * See: docs/boot.md
 */
#pragma once

#include <stddef.h>

/* Programs COM1 for 115200 baud, 8 data bits, no parity, 1 stop bit. */
void serial_init(void);

/* Writes n bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t n);
