/*
 * id: the user and group ids of this process, with names when known.
 *
 * Names come from /etc/passwd and /etc/group through musl's getpwuid()
 * and getgrgid(); without those files (Ember's disk has none) ids are
 * printed bare, as GNU id prints them. Ember has one user, root, and
 * no supplementary groups, so the group list is the process's group.
 *
 * See: docs/userland.md
 */
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "usage.h"

#define USAGE "usage: id [-u | -g | -G] [-n]\n"

static void print_user(uid_t uid, bool name)
{
    struct passwd *pw = getpwuid(uid);
    if (name && pw)
        printf("%s", pw->pw_name);
    else
        printf("%u", (unsigned)uid);
}

static void print_group(gid_t gid, bool name)
{
    struct group *gr = getgrgid(gid);
    if (name && gr)
        printf("%s", gr->gr_name);
    else
        printf("%u", (unsigned)gid);
}

/* "uid=0(root)": the number, and the name in brackets when there is one. */
static void print_both(const char *label, unsigned id, const char *name)
{
    printf("%s=%u", label, id);
    if (name)
        printf("(%s)", name);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool names = false;
    int only = 0, opt;
    while ((opt = getopt(argc, argv, "ugGnr")) != -1) {
        if (opt == 'n')
            names = true;
        else if (opt == 'u' || opt == 'g' || opt == 'G')
            only = opt;
        else if (opt != 'r')
            usage_fail(USAGE, 1);
    }
    if (optind < argc) {
        fprintf(stderr, "id: only this process is known: '%s'\n", argv[optind]);
        return 1;
    }
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (only == 'u')
        print_user(uid, names);
    else if (only)
        print_group(gid, names);
    if (only) {
        putchar('\n');
        return 0;
    }
    struct passwd *pw = getpwuid(uid);
    struct group *gr = getgrgid(gid);
    print_both("uid", (unsigned)uid, pw ? pw->pw_name : NULL);
    putchar(' ');
    print_both("gid", (unsigned)gid, gr ? gr->gr_name : NULL);
    putchar(' ');
    print_both("groups", (unsigned)gid, gr ? gr->gr_name : NULL);
    putchar('\n');
    return 0;
}
