/*
 * Random bytes: one xorshift64 state, stirred with the TSC at each call,
 * each byte taken from the middle of a fresh state.
 *
 * Locking: none. A call interleaved with another (a task switch) only
 * stirs the shared state twice, which does no harm to bytes that were
 * never promised to be secret.
 * Context: any.
 * See: docs/syscalls.md
 */
#include "lib/random.h"

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "lib/xorshift.h"

#define RANDOM_BYTE_SHIFT 24 /* the state's low bits are its weakest */
#define RANDOM_SEED       0x9e3779b97f4a7c15ull /* never 0, even at TSC 0 */

static uint64_t state = RANDOM_SEED;

void random_fill(void *buf, size_t n)
{
    uint8_t *out = buf;
    state ^= rdtsc();
    if (state == 0)
        state = RANDOM_SEED;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(xorshift64(&state) >> RANDOM_BYTE_SHIFT);
}
