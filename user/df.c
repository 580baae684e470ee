/*
 * df: the size, use and free space of the filesystem holding each path
 * (default /), in 1K blocks as GNU df prints them, through statfs().
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define KIB     1024
#define PERCENT 100

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
    printf("%-14s %10llu %10llu %10llu %4s %s\n", "disk", total, used, avail,
           pct_text, path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] == '-') {
        fprintf(stderr, "usage: df [path...]\n");
        return 1;
    }
    printf("%-14s %10s %10s %10s %4s %s\n", "Filesystem", "1K-blocks", "Used",
           "Available", "Use%", "Mounted on");
    if (argc == 1)
        return show("/");
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= show(argv[i]);
    return status;
}
