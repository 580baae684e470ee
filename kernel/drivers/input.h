/*
 * The console input queue: the characters typed at the keyboard and the
 * bytes received on COM1, in one stream, oldest first.
 *
 * Context: see each function.
 * See: docs/input.md
 */
#pragma once

#include <stdint.h>

#define INPUT_QUEUE_BYTES 1024  /* room for typed-ahead escape sequences */
#define INPUT_ESCAPE      0x100 /* input_wait_char(): the escape combination */

/* Appends c; when the queue is full the oldest byte is dropped. IRQ. */
void input_put_char(uint8_t c);

/* The oldest queued byte (0-255), or -EAGAIN if none. Any context. */
int input_read_char(void);

/* Bytes lost to a full queue since boot. */
uint64_t input_dropped(void);

/* Drops every queued byte (the seed's exclusive mode ended). Any context. */
void input_flush(void);

/*
 * The escape key combination (ctrl-alt-backspace) was pressed: the next
 * input_wait_char() returns INPUT_ESCAPE before any byte. IRQ.
 */
void input_put_escape(void);

/*
 * Waits (sleeping, no CPU used) for the next byte (0-255), or returns
 * INPUT_ESCAPE for a pending escape combination. Context: task.
 */
int input_wait_char(void);
