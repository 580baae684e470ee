/*
 * dmesg: the kernel's log since boot (its last 16 KiB).
 *
 * The kernel keeps the tail of its log in a ring and shows it as the file
 * /proc/klog (kernel/lib/log.c, kernel/proc/procfs.c); dmesg copies that
 * file to standard output. The lines carry the kernel's own timestamps,
 * "[    1.234] ", as Linux's dmesg prints them.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE     "usage: dmesg\n"
#define KLOG_PATH "/proc/klog"

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    if (getopt(argc, argv, "") != -1 || optind < argc)
        usage_fail(USAGE, 1);
    size_t len;
    char *log = io_slurp(KLOG_PATH, &len);
    if (!log) {
        fprintf(stderr, "dmesg: %s: %s\n", KLOG_PATH, strerror(errno));
        return 1;
    }
    int err = io_write_all(STDOUT_FILENO, log, len);
    return err < 0 ? 1 : 0;
}
