/*
 * uname: the system's name, host name, release, version and machine.
 *
 * The fields come from the uname() call; -a prints those the kernel knows
 * in GNU's order (-s -n -r -v -m -o; -p and -i only when asked, as
 * "unknown"), one space apart. With no option it prints -s.
 *
 * See: docs/userland.md
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "usage.h"

#define USAGE "usage: uname [-asnrvmpio]\n"

enum {
    F_SYS = 1 << 0,
    F_NODE = 1 << 1,
    F_REL = 1 << 2,
    F_VER = 1 << 3,
    F_MACH = 1 << 4,
    F_PROC = 1 << 5,
    F_PLAT = 1 << 6,
    F_OS = 1 << 7,
    F_ALL = F_SYS | F_NODE | F_REL | F_VER | F_MACH | F_OS,
};

static const char *sep = "";

static void field(int want, int flag, const char *text)
{
    if (want & flag) {
        printf("%s%s", sep, text);
        sep = " ";
    }
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    static const char opts[] = "snrvmpio";
    int want = 0, opt;
    while ((opt = getopt(argc, argv, "asnrvmpio")) != -1) {
        const char *at = strchr(opts, opt);
        if (opt == 'a')
            want |= F_ALL;
        else if (at)
            want |= 1 << (at - opts);
        else
            usage_fail(USAGE, 1);
    }
    if (optind < argc) {
        fprintf(stderr, "uname: extra operand '%s'\n", argv[optind]);
        usage_fail(USAGE, 1);
    }
    struct utsname u;
    if (uname(&u) < 0) {
        perror("uname");
        return 1;
    }
    if (want == 0)
        want = F_SYS;
    field(want, F_SYS, u.sysname);
    field(want, F_NODE, u.nodename);
    field(want, F_REL, u.release);
    field(want, F_VER, u.version);
    field(want, F_MACH, u.machine);
    field(want, F_PROC, "unknown");
    field(want, F_PLAT, "unknown");
    field(want, F_OS, u.sysname);
    putchar('\n');
    return 0;
}
