/*
 * which: where the shell would find each command, by searching $PATH.
 *
 * For each name, the folders of $PATH are tried in order and the first
 * regular file that may be executed is printed (-a: every one). A name
 * with a slash is checked as it is. The status is 0 when every name was
 * found, 1 when one was not, as Debian's which.
 *
 * See: docs/userland.md
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

#define USAGE        "usage: which [-a] name...\n"
#define DEFAULT_PATH "/bin:/usr/bin"
#define WHICH_USAGE  2 /* Debian's status for a bad option */

static bool runnable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

/* Prints where name is; returns whether it was found. */
static bool which(const char *name, const char *path, bool all)
{
    if (strchr(name, '/')) {
        if (!runnable(name))
            return false;
        puts(name);
        return true;
    }
    bool found = false;
    const char *p = path;
    for (;;) {
        size_t len = strcspn(p, ":");
        char full[PATH_MAX];
        snprintf(full, sizeof full, "%.*s%s%s", (int)len, len ? p : ".",
                 len && p[len - 1] == '/' ? "" : "/", name);
        if (runnable(full)) {
            puts(full);
            found = true;
            if (!all)
                return true;
        }
        if (!p[len])
            return found;
        p += len + 1;
    }
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool all = false;
    int opt;
    while ((opt = getopt(argc, argv, "as")) != -1) {
        if (opt == 'a')
            all = true;
        else if (opt != 's')
            usage_fail(USAGE, WHICH_USAGE);
    }
    const char *path = getenv("PATH");
    if (!path)
        path = DEFAULT_PATH;
    int status = optind == argc;
    for (int i = optind; i < argc; i++)
        if (!which(argv[i], path, all))
            status = 1;
    return status;
}
