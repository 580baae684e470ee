/*
 * A fixed-size ring of fixed-size elements that drops its oldest element
 * when full, and counts what it dropped.
 *
 * The input drivers push from interrupt handlers and readers pop from task
 * context. Dropping the oldest keeps the newest input, which is what a user
 * who typed ahead of a stalled program wants to see last, and the count
 * makes the loss visible instead of silent. The ring does no locking of its
 * own: a push that drops moves the reader's index, so readers pop with
 * interrupts off (irq_save() in kernel/arch/x86_64/irq.h), and on one CPU
 * that is enough.
 *
 * Portable: also built into tests/host/test_ring.c.
 * See: docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;       /* cap elements of elem_size bytes, caller's memory */
    uint32_t elem_size; /* bytes per element */
    uint32_t cap;       /* elements the ring holds */
    uint32_t head;      /* index of the oldest element */
    uint32_t count;     /* elements held */
    uint64_t dropped;   /* elements lost to overflow, since ring_init() */
};

/* Sets r up over buf, which holds cap elements of elem_size bytes. */
void ring_init(struct ring *r, void *buf, uint32_t elem_size, uint32_t cap);

/*
 * Appends a copy of *elem. When the ring is full the oldest element is
 * dropped first and counted; returns true if that happened.
 */
bool ring_push(struct ring *r, const void *elem);

/* Removes the oldest element into *out; false if the ring is empty. */
bool ring_pop(struct ring *r, void *out);

uint32_t ring_count(const struct ring *r);
uint64_t ring_dropped(const struct ring *r);
