/*
 * seq: prints the numbers from FIRST (1) by INCREMENT (1) up to LAST.
 *
 * Each number is FIRST + i * INCREMENT, not a running sum, so 0.1 steps do
 * not drift. The output has as many decimals as the most precise of FIRST
 * and INCREMENT (GNU's rule: `seq 1 0.5 3` prints 1.0 ... 3.0); -w pads
 * with zeros to one width, -s puts a separator other than "\n" between
 * the numbers.
 *
 * See: docs/userland.md
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE "usage: seq [-w] [-s separator] [first [increment]] last\n"

struct number {
    long double value;
    int decimals;
};

static bool parse_number(const char *s, struct number *n)
{
    char *end;
    n->value = strtold(s, &end);
    if (!*s || *end)
        return false;
    const char *dot = strchr(s, '.');
    n->decimals = 0;
    if (dot && !strpbrk(s, "eE"))
        n->decimals = (int)strspn(dot + 1, "0123456789");
    return true;
}

/* Whether a and b print the same: 0.1 + 4 * 0.1 is a hair over 0.5. */
static bool same_printed(long double a, long double b, int decimals)
{
    char sa[64], sb[64];
    snprintf(sa, sizeof sa, "%.*Lf", decimals, a);
    snprintf(sb, sizeof sb, "%.*Lf", decimals, b);
    return strcmp(sa, sb) == 0;
}

/* A negative number as "-5" at option time: not an option. */
static bool is_number_arg(const char *s)
{
    return s[0] == '-' && (s[1] == '.' || (s[1] >= '0' && s[1] <= '9'));
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool equal_width = false;
    const char *sep = "\n";
    int opt;
    while (optind < argc && !is_number_arg(argv[optind]) &&
           (opt = getopt(argc, argv, "ws:")) != -1) {
        if (opt == 'w')
            equal_width = true;
        else if (opt == 's')
            sep = optarg;
        else
            usage_fail(USAGE, 1);
    }
    int n = argc - optind;
    if (n < 1 || n > 3)
        usage_fail(USAGE, 1);
    struct number num[3] = {{1, 0}, {1, 0}, {0, 0}};
    for (int i = 0; i < n; i++) {
        int slot = n == 1 ? 2 : n == 2 && i == 1 ? 2 : i;
        if (!parse_number(argv[optind + i], &num[slot])) {
            fprintf(stderr, "seq: invalid floating point argument: '%s'\n",
                    argv[optind + i]);
            return 1;
        }
    }
    long double first = num[0].value, step = num[1].value, last = num[2].value;
    if (step == 0) {
        fprintf(stderr, "seq: invalid Zero increment value: '0'\n");
        return 1;
    }
    int decimals =
        num[0].decimals > num[1].decimals ? num[0].decimals : num[1].decimals;
    int width = 0;
    if (equal_width) {
        char tmp[64];
        int a = snprintf(tmp, sizeof tmp, "%.*Lf", decimals, first);
        int b = snprintf(tmp, sizeof tmp, "%.*Lf", decimals, last);
        width = a > b ? a : b;
    }
    for (long i = 0;; i++) {
        long double v = first + (long double)i * step;
        if ((step > 0 ? v > last : v < last) &&
            !same_printed(v, last, decimals))
            break;
        printf("%s%0*.*Lf", i ? sep : "", width, decimals, v);
    }
    if ((step > 0 ? first <= last : first >= last) ||
        same_printed(first, last, decimals))
        putchar('\n');
    return ferror(stdout) ? 1 : 0;
}
