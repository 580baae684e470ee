/*
 * The console input queue: the characters typed at the keyboard and the
 * bytes received on COM1, in one stream, oldest first.
 *
 * Context: see each function.
 * See: docs/input.md
 */
#pragma once

#include <stdint.h>

#define INPUT_QUEUE_BYTES 1024 /* room for typed-ahead escape sequences */

/* Appends c; when the queue is full the oldest byte is dropped. IRQ. */
void input_put_char(uint8_t c);

/* The oldest queued byte (0-255), or -EAGAIN if none. Any context. */
int input_read_char(void);

/* Bytes lost to a full queue since boot. */
uint64_t input_dropped(void);

/* Drops every queued byte (the seed's exclusive mode ended). Any context. */
void input_flush(void);

/* Waits (sleeping, no CPU used) for the next byte. Context: task. */
int input_wait_char(void);
