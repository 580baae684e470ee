/*
 * id: the user and group ids of this process, with names when known.
 *
 * Names come from /etc/passwd and /etc/group through musl's getpwuid()
 * and getgrgid(); without those files (Ember's disk has none) id 0 is
 * "root", Ember's one user, and other ids are printed bare, as GNU id
 * prints an id it cannot name. There are no supplementary groups, so the
 * group list is the process's group.
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

#define ROOT_NAME "root" /* id 0 when no file names it */

static const char *user_name(uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    return pw ? pw->pw_name : uid == 0 ? ROOT_NAME : NULL;
}

static const char *group_name(gid_t gid)
{
    struct group *gr = getgrgid(gid);
    return gr ? gr->gr_name : gid == 0 ? ROOT_NAME : NULL;
}

/* -u, -g: the name with -n (the number if it has none), else the number. */
static void print_id(unsigned id, const char *name, bool names)
{
    if (names && name)
        printf("%s", name);
    else
        printf("%u", id);
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
        print_id((unsigned)uid, user_name(uid), names);
    else if (only)
        print_id((unsigned)gid, group_name(gid), names);
    if (only) {
        putchar('\n');
        return 0;
    }
    print_both("uid", (unsigned)uid, user_name(uid));
    putchar(' ');
    print_both("gid", (unsigned)gid, group_name(gid));
    putchar(' ');
    print_both("groups", (unsigned)gid, group_name(gid));
    putchar('\n');
    return 0;
}
