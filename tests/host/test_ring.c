/*
 * Host tests for the ring: order, wrap-around, that a full ring keeps the
 * newest pushed elements and counts every one it dropped, and that the bulk
 * write and read of pipes and the terminal take only what fits, never
 * drop, and match a simple model byte for byte across the wrap.
 *
 * Portable: host only; links kernel/lib/ring.c and portable_host.c.
 * See: docs/input.md
 */
#include "lib/ring.h"

#include <stdint.h>

#include "check.h"
#include "lib/xorshift.h"

#define TEST_RING_SEED 0x5eed /* any nonzero state; fixed so runs repeat */

struct elem {
    uint32_t a;
    uint16_t b;
};

TEST(pops_in_push_order)
{
    uint8_t buf[4];
    struct ring r;
    ring_init(&r, buf, 1, 4);
    uint8_t out;
    CHECK(!ring_pop(&r, &out));
    for (uint8_t i = 1; i <= 3; i++)
        CHECK(!ring_push(&r, &i));
    CHECK_EQ(ring_count(&r), 3);
    for (uint8_t i = 1; i <= 3; i++) {
        CHECK(ring_pop(&r, &out));
        CHECK_EQ(out, i);
    }
    CHECK(!ring_pop(&r, &out));
    CHECK_EQ(ring_dropped(&r), 0);
}

TEST(full_ring_drops_oldest_and_counts)
{
    struct elem buf[3];
    struct ring r;
    ring_init(&r, buf, sizeof(struct elem), 3);
    for (uint32_t i = 0; i < 10; i++) {
        struct elem e = {i, (uint16_t)(i * 2)};
        CHECK_EQ(ring_push(&r, &e), i >= 3);
    }
    CHECK_EQ(ring_dropped(&r), 7);
    CHECK_EQ(ring_count(&r), 3);
    for (uint32_t i = 7; i < 10; i++) {
        struct elem e;
        CHECK(ring_pop(&r, &e));
        CHECK_EQ(e.a, i);
        CHECK_EQ(e.b, i * 2);
    }
    CHECK(ring_count(&r) == 0);
}

TEST(wraps_around_many_times)
{
    uint16_t buf[5];
    struct ring r;
    ring_init(&r, buf, sizeof(uint16_t), 5);
    uint16_t next_in = 0, next_out = 0;
    uint64_t popped = 0;
    for (int round = 0; round < 1000; round++) {
        for (int k = 0; k < round % 4 + 1; k++, next_in++)
            ring_push(&r, &next_in);
        uint16_t v;
        for (int k = 0; k < round % 3 + 1 && ring_pop(&r, &v); k++) {
            /* Dropped elements are skipped, never reordered. */
            CHECK(v >= next_out);
            next_out = (uint16_t)(v + 1);
            popped++;
        }
    }
    /* Every element pushed was popped, dropped or is still held. */
    CHECK_EQ(popped + ring_dropped(&r) + ring_count(&r), next_in);
}

TEST(write_takes_only_what_fits)
{
    uint8_t buf[8];
    struct ring r;
    ring_init(&r, buf, 1, 8);
    const uint8_t ten[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    CHECK_EQ(ring_write(&r, ten, 5), 5);
    CHECK_EQ(ring_room(&r), 3);
    CHECK_EQ(ring_write(&r, ten + 5, 5), 3); /* 8 and 9 do not fit */
    CHECK_EQ(ring_room(&r), 0);
    CHECK_EQ(ring_write(&r, ten, 1), 0);
    CHECK_EQ(ring_dropped(&r), 0);
    uint8_t out[10];
    CHECK_EQ(ring_read(&r, out, 10), 8);
    for (uint8_t i = 0; i < 8; i++)
        CHECK_EQ(out[i], i);
    CHECK_EQ(ring_read(&r, out, 10), 0);
}

TEST(peek_changes_in_place_and_clear_empties)
{
    uint16_t buf[4];
    struct ring r;
    ring_init(&r, buf, sizeof(uint16_t), 4);
    CHECK(ring_peek(&r) == NULL);
    uint16_t v = 40;
    ring_push(&r, &v);
    v = 41;
    ring_push(&r, &v);
    uint16_t *front = ring_peek(&r);
    CHECK(front != NULL);
    CHECK_EQ(*front, 40);
    *front = 7;
    CHECK(ring_pop(&r, &v));
    CHECK_EQ(v, 7);
    ring_clear(&r);
    CHECK_EQ(ring_count(&r), 0);
    CHECK_EQ(ring_room(&r), 4);
    CHECK(ring_peek(&r) == NULL);
}

/* Bulk writes and reads of odd sizes against a plain counter model. */
TEST(bulk_matches_model_across_wrap)
{
    /* An odd capacity, and requests up to OVER elements past it. */
    enum { CAP = 13, OVER = 4, ROUNDS = 2000 };
    uint8_t buf[CAP];
    struct ring r;
    ring_init(&r, buf, 1, CAP);
    uint8_t next_in = 0, next_out = 0;
    uint32_t held = 0;
    uint64_t seed = TEST_RING_SEED;
    for (int round = 0; round < ROUNDS; round++) {
        size_t want_in = xorshift64(&seed) % (CAP + OVER);
        uint8_t src[CAP + OVER];
        for (size_t i = 0; i < want_in; i++)
            src[i] = (uint8_t)(next_in + i);
        size_t fits = want_in < CAP - held ? want_in : CAP - held;
        CHECK_EQ(ring_write(&r, src, want_in), fits);
        next_in = (uint8_t)(next_in + fits);
        held += (uint32_t)fits;
        size_t want_out = xorshift64(&seed) % (CAP + OVER);
        uint8_t dst[CAP + OVER];
        size_t got = ring_read(&r, dst, want_out);
        CHECK_EQ(got, want_out < held ? want_out : held);
        for (size_t i = 0; i < got; i++, next_out++)
            CHECK_EQ(dst[i], next_out);
        held -= (uint32_t)got;
        CHECK_EQ(ring_count(&r), held);
    }
    CHECK_EQ(ring_dropped(&r), 0);
}

int main(void)
{
    RUN(pops_in_push_order);
    RUN(full_ring_drops_oldest_and_counts);
    RUN(wraps_around_many_times);
    RUN(write_takes_only_what_fits);
    RUN(peek_changes_in_place_and_clear_empties);
    RUN(bulk_matches_model_across_wrap);
    return check_summary();
}
