/*
 * uptime: the time now and how long the system has been up, from
 * /proc/uptime, as " hh:mm:ss up N min" (or "H:MM", or "N days, H:MM"),
 * like procps's uptime without the user count and the load average,
 * which Ember does not keep.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "usage.h"

#define MINUTE 60
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: uptime\n");
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: uptime\n");
        return 1;
    }
    FILE *f = fopen("/proc/uptime", "r");
    double up;
    if (!f || fscanf(f, "%lf", &up) != 1) {
        fprintf(stderr, "uptime: /proc/uptime: %s\n",
                f ? "unreadable" : strerror(errno));
        return 1;
    }
    fclose(f);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    long s = (long)up;
    printf(" %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (s >= DAY)
        printf("%ld day%s, ", s / DAY, s / DAY == 1 ? "" : "s");
    if (s % DAY >= HOUR)
        printf("%2ld:%02ld\n", s % DAY / HOUR, s % HOUR / MINUTE);
    else
        printf("%ld min\n", s % HOUR / MINUTE);
    return 0;
}
