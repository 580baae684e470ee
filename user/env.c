/*
 * env: runs a command with a changed environment, or prints it.
 *
 *   env                     the environment, one NAME=value a line
 *   env -i A=1 cmd args     cmd with only A=1
 *   env -u NAME cmd         cmd without NAME
 *
 * Options stop at the first NAME=value or command, so the command's own
 * options are its own. Errors are GNU's statuses: 125 for env's own
 * failures, 126 for a command that cannot run, 127 for one not found.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE          "usage: env [-i] [-u name] [name=value...] [command [arg...]]\n"
#define ENV_FAILED     125
#define ENV_CANNOT_RUN 126
#define ENV_NOT_FOUND  127

extern char **environ;

int main(int argc, char **argv)
{
    usage_help(argc > 1 ? 2 : argc, argv, USAGE);
    int opt;
    while ((opt = getopt(argc, argv, "+iu:0")) != -1) {
        if (opt == 'i') {
            static char *empty[] = {NULL};
            environ = empty;
        } else if (opt == 'u') {
            unsetenv(optarg);
        } else if (opt != '0') {
            usage_fail(USAGE, ENV_FAILED);
        }
    }
    int i = optind;
    if (i < argc && strcmp(argv[i], "-") == 0) {
        static char *empty[] = {NULL};
        environ = empty;
        i++;
    }
    for (; i < argc && strchr(argv[i], '='); i++) {
        if (putenv(argv[i]) != 0) {
            fprintf(stderr, "env: cannot set '%s': %s\n", argv[i],
                    strerror(errno));
            return ENV_FAILED;
        }
    }
    if (i == argc) {
        for (char **e = environ; *e; e++)
            puts(*e);
        return 0;
    }
    execvp(argv[i], argv + i);
    int err = errno;
    fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(err));
    return err == ENOENT ? ENV_NOT_FOUND : ENV_CANNOT_RUN;
}
