/*
 * sleep: waits for the number of seconds given (fractions allowed, and
 * several numbers add up, as GNU's sleep).
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "usage.h"

#define NS_PER_S 1000000000.0

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: sleep seconds...\n");
    double total = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        double s = strtod(argv[i], &end);
        if (!*argv[i] || *end || s < 0) {
            fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
            fprintf(stderr, "usage: sleep seconds...\n");
            return 1;
        }
        total += s;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: sleep seconds...\n");
        return 1;
    }
    struct timespec ts = {.tv_sec = (time_t)total,
                          .tv_nsec =
                              (long)((total - (time_t)total) * NS_PER_S)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return 0;
}
