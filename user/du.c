/*
 * du: the disk space files and folders use, folders counting their
 * contents.
 *
 * The space of a file is its st_blocks (512-byte units, what the file
 * system allocated), printed in KiB as GNU does, or with -h in K/M/G
 * (human_size()). Folders are walked depth-first; each folder's total is
 * printed after its contents, files only with -a, only the operands with
 * -s. -d N (--max-depth) limits the depth printed; -c adds a total line.
 *
 * See: docs/userland.md
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "human.h"
#include "usage.h"

#define USAGE       "usage: du [-achs] [-d depth] [path...]\n"
#define BLOCK_BYTES 512
#define KIB         1024

static struct {
    bool all, human, summary, total;
    long max_depth; /* -1: no limit */
} opt = {.max_depth = -1};
static int status;

static void print(unsigned long long bytes, const char *path)
{
    char buf[HUMAN_LEN];
    if (opt.human)
        printf("%s\t%s\n", human_size(bytes, buf, sizeof buf), path);
    else
        printf("%llu\t%s\n", (bytes + KIB - 1) / KIB, path);
}

static bool shown(long depth)
{
    if (opt.summary)
        return depth == 0;
    return opt.max_depth < 0 || depth <= opt.max_depth;
}

/* The bytes path uses, its contents included; prints as it goes. */
static unsigned long long du(const char *path, long depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        fprintf(stderr, "du: cannot access '%s': %s\n", path, strerror(errno));
        status = 1;
        return 0;
    }
    unsigned long long bytes = (unsigned long long)st.st_blocks * BLOCK_BYTES;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        if (!d) {
            fprintf(stderr, "du: cannot read directory '%s': %s\n", path,
                    strerror(errno));
            status = 1;
        }
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[PATH_MAX];
            snprintf(child, sizeof child, "%s%s%s", path,
                     path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
            bytes += du(child, depth + 1);
        }
        if (d)
            closedir(d);
    }
    if (shown(depth) && (depth == 0 || opt.all || S_ISDIR(st.st_mode)))
        print(bytes, path);
    return bytes;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int o;
    while ((o = getopt(argc, argv, "achskd:")) != -1) {
        char *end;
        if (o == 'a')
            opt.all = true;
        else if (o == 'c')
            opt.total = true;
        else if (o == 'h')
            opt.human = true;
        else if (o == 's')
            opt.summary = true;
        else if (o == 'd' && (opt.max_depth = strtol(optarg, &end, 10)) >= 0 &&
                 !*end)
            continue;
        else if (o != 'k')
            usage_fail(USAGE, 1);
    }
    unsigned long long total = 0;
    if (optind == argc)
        total = du(".", 0);
    for (int i = optind; i < argc; i++)
        total += du(argv[i], 0);
    if (opt.total)
        print(total, "total");
    return status;
}
