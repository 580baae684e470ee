/*
 * ls: lists folders and files.
 *
 *   -a  also names starting with '.'
 *   -l  long form: type and permissions, size, modification date, name
 *   -1  one name per line (the default when the output is not a terminal)
 *
 * Names are sorted byte by byte. On a terminal the short form fills
 * columns down then across, as GNU ls does, to the terminal's width
 * (TIOCGWINSZ). Several paths: files first, then each folder under a
 * "name:" heading. The long form's date is "Mon dd hh:mm", or "Mon dd
 * yyyy" for dates more than six months away, as in GNU ls; FAT32 keeps no
 * owners or link counts, so those columns are left out.
 *
 * See: docs/userland.md
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "usage.h"

#define LS_GAP        2
#define SIX_MONTHS    (182L * 24 * 60 * 60) /* GNU's "recent" limit */
#define DEFAULT_WIDTH 80

static bool all, longform, one;
static int width = DEFAULT_WIDTH;

struct entry {
    char *name;
    struct stat st;
};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name,
                  ((const struct entry *)b)->name);
}

static void mode_string(mode_t m, char *out)
{
    out[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISFIFO(m) ? 'p' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = m & (1 << (8 - i)) ? rwx[i] : '-';
    out[10] = '\0';
}

static void print_long(const struct entry *e, int size_width)
{
    char mode[11], date[32];
    mode_string(e->st.st_mode, mode);
    time_t now = time(NULL), t = e->st.st_mtime;
    struct tm tm;
    localtime_r(&t, &tm); /* in TZ's zone, UTC without it (as date) */
    bool recent = t <= now + SIX_MONTHS && t > now - SIX_MONTHS;
    strftime(date, sizeof date, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
    printf("%s %*lld %s %s%s\n", mode, size_width, (long long)e->st.st_size,
           date, e->name, S_ISDIR(e->st.st_mode) ? "/" : "");
}

/* The width of column c of a layout with `rows` rows: its longest name. */
static int column_width(const struct entry *v, int n, int rows, int c)
{
    int w = 0;
    for (int i = c * rows; i < n && i < (c + 1) * rows; i++) {
        int len = (int)strlen(v[i].name);
        w = len > w ? len : w;
    }
    return w;
}

/*
 * Short form in columns, down then across, as GNU ls on a terminal: the
 * most columns whose widths (each its longest name, plus two spaces
 * between columns) fit the line.
 */
static void print_columns(const struct entry *v, int n)
{
    int rows = n;
    for (int cols = n; cols > 1; cols--) {
        int r = (n + cols - 1) / cols, total = 0;
        if ((n + r - 1) / r != cols)
            continue; /* this many columns would leave one empty */
        for (int c = 0; c < cols; c++)
            total += column_width(v, n, r, c) + (c + 1 < cols ? LS_GAP : 0);
        if (total <= width) {
            rows = r;
            break;
        }
    }
    int cols = (n + rows - 1) / rows;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            int i = c * rows + r;
            if (i >= n)
                break;
            bool last = c == cols - 1 || (c + 1) * rows + r >= n;
            printf("%-*s", last ? 0 : column_width(v, n, rows, c) + LS_GAP,
                   v[i].name);
        }
        putchar('\n');
    }
}

static void print_entries(struct entry *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_name);
    if (longform) {
        int size_width = 1;
        for (int i = 0; i < n; i++) {
            int w = snprintf(NULL, 0, "%lld", (long long)v[i].st.st_size);
            size_width = w > size_width ? w : size_width;
        }
        for (int i = 0; i < n; i++)
            print_long(&v[i], size_width);
    } else if (one) {
        for (int i = 0; i < n; i++)
            puts(v[i].name);
    } else if (n > 0) {
        print_columns(v, n);
    }
}

static int list_folder(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "ls: cannot open directory '%s': %s\n", path,
                strerror(errno));
        return 2;
    }
    struct entry *v = NULL;
    int n = 0, status = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && !all)
            continue;
        v = realloc(v, sizeof *v * (size_t)(n + 1));
        v[n].name = strdup(e->d_name);
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &v[n].st) != 0) {
            fprintf(stderr, "ls: cannot access '%s': %s\n", full,
                    strerror(errno));
            memset(&v[n].st, 0, sizeof v[n].st);
            status = 1;
        }
        n++;
    }
    closedir(d);
    print_entries(v, n);
    for (int i = 0; i < n; i++)
        free(v[i].name);
    free(v);
    return status;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: ls [-al1] [path...]\n");
    int opt;
    while ((opt = getopt(argc, argv, "al1")) != -1) {
        if (opt == 'a') {
            all = true;
        } else if (opt == 'l') {
            longform = true;
        } else if (opt == '1') {
            one = true;
        } else {
            fprintf(stderr, "usage: ls [-al1] [path...]\n");
            return 2;
        }
    }
    struct winsize ws;
    if (!isatty(STDOUT_FILENO))
        one = true;
    else if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        width = ws.ws_col;
    char *dot[] = {".", NULL};
    char **paths = optind < argc ? argv + optind : dot;
    int npaths = optind < argc ? argc - optind : 1;

    int status = 0, nfiles = 0;
    struct entry *files = calloc((size_t)npaths, sizeof *files);
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "ls: cannot access '%s': %s\n", paths[i],
                    strerror(errno));
            status = 2;
            paths[i] = NULL;
        } else if (!S_ISDIR(st.st_mode)) {
            files[nfiles].name = paths[i];
            files[nfiles++].st = st;
            paths[i] = NULL;
        }
    }
    print_entries(files, nfiles);
    bool printed = nfiles > 0;
    for (int i = 0; i < npaths; i++) {
        if (!paths[i])
            continue;
        if (npaths > 1)
            printf("%s%s:\n", printed ? "\n" : "", paths[i]);
        printed = true;
        int s = list_folder(paths[i]);
        status = s > status ? s : status;
    }
    free(files);
    return status;
}
