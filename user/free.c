/*
 * free: how much memory there is and how much is in use, from
 * /proc/meminfo, in KiB (-m: MiB), laid out as procps's free.
 *
 * Ember has no swap, and no page cache apart from the block cache inside
 * the kernel, so "shared" and "buff/cache" are 0 and "used" is total
 * minus free.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define KIB_PER_MIB 1024

/* The value of field name in /proc/meminfo, in kB; 0 if missing. */
static unsigned long field(FILE *f, const char *name)
{
    char line[128];
    unsigned long v;
    size_t len = strlen(name);
    rewind(f);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, len) == 0 && line[len] == ':' &&
            sscanf(line + len + 1, "%lu", &v) == 1)
            return v;
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: free [-k | -m]\n");
    unsigned long unit = 1;
    int opt;
    while ((opt = getopt(argc, argv, "km")) != -1) {
        if (opt == 'm') {
            unit = KIB_PER_MIB;
        } else if (opt != 'k') {
            fprintf(stderr, "usage: free [-k | -m]\n");
            return 1;
        }
    }
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) {
        fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
        return 1;
    }
    unsigned long total = field(f, "MemTotal"), mfree = field(f, "MemFree");
    unsigned long avail = field(f, "MemAvailable");
    unsigned long swap = field(f, "SwapTotal"), sfree = field(f, "SwapFree");
    fclose(f);
    printf("               total        used        free      shared  "
           "buff/cache   available\n");
    printf("Mem:    %12lu%12lu%12lu%12lu%12lu%12lu\n", total / unit,
           (total - mfree) / unit, mfree / unit, 0ul, 0ul, avail / unit);
    printf("Swap:   %12lu%12lu%12lu\n", swap / unit, (swap - sfree) / unit,
           sfree / unit);
    return 0;
}
