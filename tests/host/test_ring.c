/*
 * Host tests for the drop-oldest ring: order, wrap-around, and that a full
 * ring keeps the newest elements and counts every one it dropped.
 *
 * Portable: host only; links kernel/lib/ring.c and portable_host.c.
 * See: docs/input.md
 */
#include "lib/ring.h"

#include <stdint.h>

#include "check.h"

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

int main(void)
{
    RUN(pops_in_push_order);
    RUN(full_ring_drops_oldest_and_counts);
    RUN(wraps_around_many_times);
    return check_summary();
}
