/*
 * The ring buffer: a head index and a count over a fixed array.
 *
 * Head and count, rather than head and tail, make full and empty different
 * states without a wasted slot. Elements are copied in and out with memcpy,
 * so one ring type serves scancode bytes, key events, mouse packets, pipe
 * bytes and the terminal's input. ring_write() and ring_read() copy in at
 * most two runs (up to the end of the array, then from its start), so a
 * pipe moves a page with two memcpy calls, not a loop over bytes.
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

/* Elements from index i (of the ring's order) to the array's end, at most n. */
static size_t run_from(const struct ring *r, uint32_t i, size_t n)
{
    size_t run = r->cap - (r->head + i) % r->cap;
    return run < n ? run : n;
}

size_t ring_write(struct ring *r, const void *src, size_t n)
{
    const uint8_t *from = src;
    size_t done = 0;
    if (n > ring_room(r))
        n = ring_room(r);
    while (done < n) {
        size_t run = run_from(r, r->count, n - done);
        memcpy(slot(r, r->count), from + done * r->elem_size,
               run * r->elem_size);
        r->count += (uint32_t)run;
        done += run;
    }
    return done;
}

size_t ring_read(struct ring *r, void *dst, size_t n)
{
    uint8_t *to = dst;
    size_t done = 0;
    if (n > r->count)
        n = r->count;
    while (done < n) {
        size_t run = run_from(r, 0, n - done);
        memcpy(to + done * r->elem_size, slot(r, 0), run * r->elem_size);
        r->head = (uint32_t)((r->head + run) % r->cap);
        r->count -= (uint32_t)run;
        done += run;
    }
    return done;
}

void *ring_peek(const struct ring *r)
{
    return r->count ? slot(r, 0) : NULL;
}

void ring_clear(struct ring *r)
{
    r->head = 0;
    r->count = 0;
}

uint32_t ring_room(const struct ring *r)
{
    return r->cap - r->count;
}

uint32_t ring_count(const struct ring *r)
{
    return r->count;
}

uint64_t ring_dropped(const struct ring *r)
{
    return r->dropped;
}
