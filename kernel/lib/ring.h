/*
 * A fixed-size ring of fixed-size elements: the kernel's one queue of
 * bytes, scancodes, events and line lengths.
 *
 * It is filled in one of two ways. ring_push() drops the oldest element
 * when full and counts what it dropped: the input drivers push from
 * interrupt handlers, and keeping the newest input is what a user who typed
 * ahead of a stalled program wants to see last. ring_write() takes only
 * what fits and says how much that was: a pipe and the terminal's input
 * must never lose a byte, so their writers wait or refuse instead.
 * ring_read() and ring_pop() take from the oldest end.
 *
 * The ring does no locking of its own: a push that drops moves the
 * reader's index, so its users guard it by turning interrupts off
 * (irq_save() in kernel/arch/x86_64/irq.h), and on one CPU that is enough.
 *
 * Portable: also built into tests/host/test_ring.c.
 * See: docs/input.md, docs/tty.md
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

/*
 * Appends up to n elements from src, as many as there is room for, without
 * dropping any; returns how many it appended.
 */
size_t ring_write(struct ring *r, const void *src, size_t n);

/* Removes up to n of the oldest elements into dst; returns how many. */
size_t ring_read(struct ring *r, void *dst, size_t n);

/*
 * The oldest element, in place (the caller may change it), or NULL if the
 * ring is empty.
 */
void *ring_peek(const struct ring *r);

/* Empties the ring; the count of dropped elements is kept. */
void ring_clear(struct ring *r);

uint32_t ring_count(const struct ring *r);
uint32_t ring_room(const struct ring *r); /* elements that still fit */
uint64_t ring_dropped(const struct ring *r);
