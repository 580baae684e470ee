/*
 * Sizes for people: 1023, 1.0K, 15K, 1.2M, as GNU's -h options print them.
 *
 * See: docs/userland.md
 */
#pragma once

#include <stddef.h>

#define HUMAN_LEN 16 /* room for any size this writes */

/*
 * Writes bytes into buf as GNU's df -h and du -h do: powers of 1024,
 * rounded up, one decimal below 10 ("1.5K", "9.9M"), none from 10 on
 * ("15K"), plain bytes below 1024 ("512"). Returns buf.
 */
char *human_size(unsigned long long bytes, char *buf, size_t cap);
