/*
 * The drop-oldest ring buffer: a head index and a count over a fixed array.
 *
 * Head and count, rather than head and tail, make full and empty different
 * states without a wasted slot. Elements are copied in and out with memcpy,
 * so one ring type serves scancode bytes, key events and mouse packets.
 *
 * Locking: none; see ring.h for how the input drivers use it.
 * Portable: also built into tests/host/test_ring.c.
 * See: docs/input.md
 */
#include "lib/ring.h"

#include "lib/portable.h"

void ring_init(struct ring *r, void *buf, uint32_t elem_size, uint32_t cap)
{
    KASSERT(elem_size > 0 && cap > 0);
    r->buf = buf;
    r->elem_size = elem_size;
    r->cap = cap;
    r->head = 0;
    r->count = 0;
    r->dropped = 0;
}

static uint8_t *slot(const struct ring *r, uint32_t i)
{
    return r->buf + (size_t)((r->head + i) % r->cap) * r->elem_size;
}

bool ring_push(struct ring *r, const void *elem)
{
    bool dropped = false;

    if (r->count == r->cap) {
        r->head = (r->head + 1) % r->cap;
        r->count--;
        r->dropped++;
        dropped = true;
    }
    memcpy(slot(r, r->count), elem, r->elem_size);
    r->count++;
    return dropped;
}

bool ring_pop(struct ring *r, void *out)
{
    if (r->count == 0)
        return false;
    memcpy(out, slot(r, 0), r->elem_size);
    r->head = (r->head + 1) % r->cap;
    r->count--;
    return true;
}

uint32_t ring_count(const struct ring *r)
{
    return r->count;
}

uint64_t ring_dropped(const struct ring *r)
{
    return r->dropped;
}
