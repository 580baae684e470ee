/*
 * Marsaglia's xorshift generators (2003): a few shifts and xors, seeded,
 * the same sequence for the same seed on every run.
 *
 * The kernel's random bytes (kernel/lib/random.c) and every test that
 * wants a repeatable workload use these two, so the constants are written
 * once. Not for secrets: they are predictable from their output.
 *
 * Portable: header only, included by host tests too.
 * See: docs/conventions.md
 */
#pragma once

#include <stdint.h>

/* xorshift64: the shift triple (13, 7, 17). */
#define XORSHIFT64_A 13
#define XORSHIFT64_B 7
#define XORSHIFT64_C 17

/* xorshift64*: the triple (12, 25, 27), then a multiply. */
#define XORSHIFT64S_A    12
#define XORSHIFT64S_B    25
#define XORSHIFT64S_C    27
#define XORSHIFT64S_MULT 0x2545f4914f6cdd1dull

/* Steps *state (never 0) and returns the new state. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << XORSHIFT64_A;
    x ^= x >> XORSHIFT64_B;
    x ^= x << XORSHIFT64_C;
    *state = x;
    return x;
}

/* Steps *state (never 0) and returns the scrambled output. */
static inline uint64_t xorshift64_star(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> XORSHIFT64S_A;
    x ^= x << XORSHIFT64S_B;
    x ^= x >> XORSHIFT64S_C;
    *state = x;
    return x * XORSHIFT64S_MULT;
}
