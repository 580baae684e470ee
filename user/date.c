/*
 * date: the date and time now, as GNU date prints it by default
 * ("Tue Nov 24 07:19:21 UTC 2026"), or in the strftime() format given as
 * "+FORMAT".
 *
 * Ember's clock keeps UTC. The time is shown in the zone TZ names, a POSIX
 * TZ string as musl's localtime() reads it ("CET-1CEST,M3.5.0,M10.5.0/3",
 * "JST-9"); without TZ (and with no /etc/localtime, which Ember lacks) it
 * is UTC.
 *
 * See: docs/userland.md
 */
#include <stdio.h>
#include <time.h>

#include "usage.h"

#define DATE_MAX 256

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: date [+format]\n");
    const char *format = "%a %b %e %H:%M:%S %Z %Y";
    if (argc > 2 || (argc == 2 && argv[1][0] != '+')) {
        fprintf(stderr, "usage: date [+format]\n");
        return 1;
    }
    if (argc == 2)
        format = argv[1] + 1;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char buf[DATE_MAX];
    size_t n = strftime(buf, sizeof buf, format, &tm);
    if (n == 0 && format[0]) {
        fprintf(stderr, "date: the format gives no output or too much\n");
        return 1;
    }
    puts(buf);
    return 0;
}
