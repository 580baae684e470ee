/*
 * The kernel's random bytes: getrandom() and exec's AT_RANDOM.
 *
 * Not cryptographic: an xorshift64 generator stirred with the TSC on every
 * call. Enough for what programs use it for on Ember (musl's hash seeds,
 * stack protector canaries, DOOM's nothing), and honest about it in
 * docs/syscalls.md.
 *
 * Context: any.
 * See: docs/syscalls.md
 */
#pragma once

#include <stddef.h>

/* Fills buf with n bytes. */
void random_fill(void *buf, size_t n);
