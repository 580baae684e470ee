/*
 * Human-readable sizes, shared by df -h and du -h.
 *
 * GNU rounds up (a file of 1025 bytes is "1.1K", never "1.0K"), so the
 * tenths are computed in integers and any remainder bumps the last digit.
 *
 * See: docs/userland.md
 */
#include "human.h"

#include <stdio.h>

#define HUMAN_BASE  1024
#define HUMAN_TENTH 10

char *human_size(unsigned long long bytes, char *buf, size_t cap)
{
    static const char units[] = "KMGTPE";
    if (bytes < HUMAN_BASE) {
        snprintf(buf, cap, "%llu", bytes);
        return buf;
    }
    int u = 0;
    unsigned long long scale = HUMAN_BASE;
    while (bytes >= scale * HUMAN_BASE && units[u + 1]) {
        scale *= HUMAN_BASE;
        u++;
    }
    /* tenths of the unit, rounded up */
    unsigned long long tenths = (bytes * HUMAN_TENTH + scale - 1) / scale;
    if (tenths < HUMAN_TENTH * HUMAN_TENTH) {
        snprintf(buf, cap, "%llu.%llu%c", tenths / HUMAN_TENTH,
                 tenths % HUMAN_TENTH, units[u]);
        return buf;
    }
    unsigned long long whole = (bytes + scale - 1) / scale;
    if (whole >= HUMAN_BASE && units[u + 1]) { /* 1024K is 1.0M */
        snprintf(buf, cap, "1.0%c", units[u + 1]);
        return buf;
    }
    snprintf(buf, cap, "%llu%c", whole, units[u]);
    return buf;
}
