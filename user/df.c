/*
 * df: the size, use and free space of the filesystem holding each path
 * (default /), in 1K blocks as GNU df prints them, through statfs(); with
 * -h in K, M and G as GNU's df -h (human_size()).
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "human.h"
#include "usage.h"

#define USAGE   "usage: df [-hk] [path...]\n"
#define KIB     1024
#define PERCENT 100

static bool human;

static int show(const char *path)
{
    struct statfs sf;
    if (statfs(path, &sf) != 0) {
        fprintf(stderr, "df: %s: %s\n", path, strerror(errno));
        return 1;
    }
    unsigned long long bs = (unsigned long long)sf.f_frsize;
    unsigned long long total = sf.f_blocks * bs / KIB;
    unsigned long long avail = sf.f_bavail * bs / KIB;
    unsigned long long used = (sf.f_blocks - sf.f_bfree) * bs / KIB;
    /* GNU rounds the percentage up */
    unsigned long long pct =
        used + avail ? (used * PERCENT + used + avail - 1) / (used + avail) : 0;
    char pct_text[8] = "-";
    if (total)
        snprintf(pct_text, sizeof pct_text, "%llu%%", pct);
    if (human) {
        char t[HUMAN_LEN], u[HUMAN_LEN], a[HUMAN_LEN];
        printf("%-14s %5s %5s %5s %4s %s\n", "disk",
               human_size(total * KIB, t, sizeof t),
               human_size(used * KIB, u, sizeof u),
               human_size(avail * KIB, a, sizeof a), pct_text, path);
        return 0;
    }
    printf("%-14s %10llu %10llu %10llu %4s %s\n", "disk", total, used, avail,
           pct_text, path);
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int o;
    while ((o = getopt(argc, argv, "hk")) != -1) {
        if (o == 'h')
            human = true;
        else if (o != 'k')
            usage_fail(USAGE, 1);
    }
    if (human)
        printf("%-14s %5s %5s %5s %4s %s\n", "Filesystem", "Size", "Used",
               "Avail", "Use%", "Mounted on");
    else
        printf("%-14s %10s %10s %10s %4s %s\n", "Filesystem", "1K-blocks",
               "Used", "Available", "Use%", "Mounted on");
    if (optind == argc)
        return show("/");
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= show(argv[i]);
    return status;
}
