/*
 * The test builtin, also spelled [ ... ]: the conditions of if and while.
 *
 * POSIX's rules by argument count, which is all a small shell needs:
 *   one argument     true if it is not empty
 *   two              a unary test: -e -f -d -s (files), -z -n (strings);
 *                    or "! x"
 *   three            a binary test: = != (strings), -eq -ne -lt -le -gt
 *                    -ge (integers); or "! x y"
 *   four             "! a op b"
 * It returns 0 for true, 1 for false and 2 for a malformed test, which it
 * reports in one line.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEST_ERROR 2

static int truth(bool b)
{
    return b ? 0 : 1;
}

static int unary(const char *op, const char *arg)
{
    struct stat st;
    bool exists = stat(arg, &st) == 0;
    if (strcmp(op, "-e") == 0)
        return truth(exists);
    if (strcmp(op, "-f") == 0)
        return truth(exists && S_ISREG(st.st_mode));
    if (strcmp(op, "-d") == 0)
        return truth(exists && S_ISDIR(st.st_mode));
    if (strcmp(op, "-s") == 0)
        return truth(exists && st.st_size > 0);
    if (strcmp(op, "-z") == 0)
        return truth(arg[0] == '\0');
    if (strcmp(op, "-n") == 0)
        return truth(arg[0] != '\0');
    if (strcmp(op, "!") == 0)
        return truth(arg[0] == '\0');
    sh_error("test: %s: unary operator expected", op);
    return TEST_ERROR;
}

static bool integer(const char *s, long *out)
{
    char *end;
    *out = strtol(s, &end, 10);
    if (*s && !*end)
        return true;
    sh_error("test: %s: integer expression expected", s);
    return false;
}

static int binary(const char *a, const char *op, const char *b)
{
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
        return truth(strcmp(a, b) == 0);
    if (strcmp(op, "!=") == 0)
        return truth(strcmp(a, b) != 0);
    static const char *const ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (int i = 0; i < 6; i++) {
        if (strcmp(op, ops[i]) != 0)
            continue;
        long x, y;
        if (!integer(a, &x) || !integer(b, &y))
            return TEST_ERROR;
        bool r[] = {x == y, x != y, x<y, x <= y, x> y, x >= y};
        return truth(r[i]);
    }
    if (strcmp(a, "!") == 0)
        return truth(unary(op, b) != 0);
    sh_error("test: %s: binary operator expected", op);
    return TEST_ERROR;
}

int test_run(int argc, char **argv)
{
    if (strcmp(argv[0], "[") == 0) {
        if (strcmp(argv[argc - 1], "]") != 0) {
            sh_error("[: missing ']'");
            return TEST_ERROR;
        }
        argc--;
    }
    argv++;
    argc--;
    switch (argc) {
    case 0:
        return 1;
    case 1:
        return truth(argv[0][0] != '\0');
    case 2:
        return unary(argv[0], argv[1]);
    case 3:
        return binary(argv[0], argv[1], argv[2]);
    case 4:
        if (strcmp(argv[0], "!") == 0) {
            int r = binary(argv[1], argv[2], argv[3]);
            return r == TEST_ERROR ? r : !r;
        }
    }
    sh_error("test: too many arguments");
    return TEST_ERROR;
}
