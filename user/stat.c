/*
 * stat: a file's metadata, in GNU's layout or in a -c format.
 *
 * Without -c the output is GNU's block of lines (File, Size, Blocks, IO
 * Block, type, Device, Inode, Links, Access mode, Uid, Gid, the three
 * times). -c FORMAT prints FORMAT with these directives replaced:
 *   %n name  %s size  %b blocks  %F type  %a octal mode  %A mode as ls
 *   %u %g uid gid  %U %G their names  %h links  %i inode
 *   %X %Y %Z times in seconds  %x %y %z as dates
 * Names come from /etc/passwd and /etc/group; without them (Ember has
 * none) uid 0 is "root", Ember's one user, as the kernel says.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "usage.h"

#define USAGE     "usage: stat [-L] [-c format] file...\n"
#define MODE_BITS 07777

static const char *type_name(mode_t m, off_t size)
{
    if (S_ISREG(m))
        return size ? "regular file" : "regular empty file";
    if (S_ISDIR(m))
        return "directory";
    if (S_ISLNK(m))
        return "symbolic link";
    if (S_ISCHR(m))
        return "character special file";
    if (S_ISBLK(m))
        return "block special file";
    if (S_ISFIFO(m))
        return "fifo";
    return "socket";
}

static void mode_string(mode_t m, char out[11])
{
    static const char rwx[] = "rwxrwxrwx";
    out[0] = S_ISDIR(m)    ? 'd'
             : S_ISLNK(m)  ? 'l'
             : S_ISCHR(m)  ? 'c'
             : S_ISBLK(m)  ? 'b'
             : S_ISFIFO(m) ? 'p'
                           : '-';
    for (int i = 0; i < 9; i++)
        out[i + 1] = m & (1u << (8 - i)) ? rwx[i] : '-';
    out[10] = '\0';
}

static const char *user_name(uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    return pw ? pw->pw_name : uid == 0 ? "root" : "UNKNOWN";
}

static const char *group_name(gid_t gid)
{
    struct group *gr = getgrgid(gid);
    return gr ? gr->gr_name : gid == 0 ? "root" : "UNKNOWN";
}

static void print_time(const struct timespec *t)
{
    struct tm tm;
    char buf[64];
    gmtime_r(&t->tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("%s.%09ld +0000", buf, t->tv_nsec);
}

static void directive(char d, const char *name, const struct stat *st)
{
    char mode[11];
    switch (d) {
    case 'n':
        fputs(name, stdout);
        break;
    case 's':
        printf("%lld", (long long)st->st_size);
        break;
    case 'b':
        printf("%lld", (long long)st->st_blocks);
        break;
    case 'F':
        fputs(type_name(st->st_mode, st->st_size), stdout);
        break;
    case 'a':
        printf("%o", st->st_mode & MODE_BITS);
        break;
    case 'A':
        mode_string(st->st_mode, mode);
        fputs(mode, stdout);
        break;
    case 'u':
        printf("%u", st->st_uid);
        break;
    case 'g':
        printf("%u", st->st_gid);
        break;
    case 'U':
        fputs(user_name(st->st_uid), stdout);
        break;
    case 'G':
        fputs(group_name(st->st_gid), stdout);
        break;
    case 'h':
        printf("%lu", (unsigned long)st->st_nlink);
        break;
    case 'i':
        printf("%lu", (unsigned long)st->st_ino);
        break;
    case 'X':
        printf("%lld", (long long)st->st_atim.tv_sec);
        break;
    case 'Y':
        printf("%lld", (long long)st->st_mtim.tv_sec);
        break;
    case 'Z':
        printf("%lld", (long long)st->st_ctim.tv_sec);
        break;
    case 'x':
        print_time(&st->st_atim);
        break;
    case 'y':
        print_time(&st->st_mtim);
        break;
    case 'z':
        print_time(&st->st_ctim);
        break;
    case '%':
        putchar('%');
        break;
    default:
        printf("?%c", d);
        break;
    }
}

static void print_format(const char *f, const char *name, const struct stat *st)
{
    for (; *f; f++) {
        if (*f == '%' && f[1])
            directive(*++f, name, st);
        else if (*f == '\\' && f[1] == 'n' && f++)
            putchar('\n');
        else
            putchar(*f);
    }
    putchar('\n');
}

static void print_default(const char *name, const struct stat *st)
{
    char mode[11];
    mode_string(st->st_mode, mode);
    printf("  File: %s\n", name);
    printf("  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n",
           (long long)st->st_size, (long long)st->st_blocks,
           (long)st->st_blksize, type_name(st->st_mode, st->st_size));
    printf("Device: %u,%u\tInode: %-11lu Links: %lu\n", major(st->st_dev),
           minor(st->st_dev), (unsigned long)st->st_ino,
           (unsigned long)st->st_nlink);
    printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n",
           st->st_mode & MODE_BITS, mode, st->st_uid, user_name(st->st_uid),
           st->st_gid, group_name(st->st_gid));
    const struct timespec *t[] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
    static const char *const label[] = {"Access", "Modify", "Change"};
    for (int i = 0; i < 3; i++) {
        printf("%s: ", label[i]);
        print_time(t[i]);
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    const char *format = NULL;
    bool follow = false;
    int o;
    while ((o = getopt(argc, argv, "Lc:")) != -1) {
        if (o == 'L')
            follow = true;
        else if (o == 'c')
            format = optarg;
        else
            usage_fail(USAGE, 1);
    }
    if (optind == argc)
        usage_fail(USAGE, 1);
    int status = 0;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if ((follow ? stat(argv[i], &st) : lstat(argv[i], &st)) != 0) {
            fprintf(stderr, "stat: cannot stat '%s': %s\n", argv[i],
                    strerror(errno));
            status = 1;
            continue;
        }
        if (format)
            print_format(format, argv[i], &st);
        else
            print_default(argv[i], &st);
    }
    return status;
}
