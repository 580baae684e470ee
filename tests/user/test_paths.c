/*
 * Differential test: long paths, a deep tree, getcwd's limits, and the
 * links of /proc.
 *
 * Builds a tree 30 levels deep of 200-byte names by mkdir and a relative
 * chdir at each level (the absolute path ends up over 6,000 bytes, past
 * PATH_MAX), leaves a small file at each level, reads one back by a
 * relative path from the bottom, then climbs back up listing and removing
 * every level. On the way it checks getcwd (ERANGE for a small buffer, the
 * path while it fits, ENAMETOOLONG once it is past 4096 bytes), path
 * arguments of 4095 and 4096 bytes, and names of 255 and 256 bytes. Then
 * /proc/self/exe and /proc/self: readlink, lstat, stat, and execve of
 * /proc/self/exe (the program runs itself with "--child" and exits 42).
 *
 * With "keep" as its second argument it leaves the tree in place and
 * stops, for tests/system/test_storage.py to check the disk with mtools
 * and fsck.fat.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md, docs/storage.md
 */
#include <fcntl.h>
#include <limits.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucheck.h"

#define LEVELS      30
#define NAME_LEN    200 /* bytes of each level's name */
#define CHECK_LEVEL 10  /* where getcwd still fits in PATH_MAX */
#define CHILD_EXIT  42
#define LINE_CAP    64
#define BIG_BUF     8192 /* more than PATH_MAX: getcwd's own limit shows */

static char names[LEVELS][NAME_LEN + 1];

static void make_names(void)
{
    for (int i = 0; i < LEVELS; i++) {
        snprintf(names[i], sizeof names[i], "level%02d-", i);
        size_t n = strlen(names[i]);
        for (size_t k = n; k < NAME_LEN; k++)
            names[i][k] = (char)('a' + (k * 7 + (size_t)i) % 26);
        names[i][NAME_LEN] = '\0';
    }
}

static int put_file(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    return close(fd) == 0 && n == (ssize_t)strlen(text) ? 0 : -1;
}

/* getcwd's three answers at CHECK_LEVEL: too small, fits, and its end. */
static void check_getcwd_fits(void)
{
    static char buf[BIG_BUF];
    uc_ret("getcwd small buffer", getcwd(buf, LINE_CAP) ? 0 : -1);
    char *got = getcwd(buf, PATH_MAX);
    uc_ret("getcwd at level 10", got ? 0 : -1);
    if (!got)
        return;
    uc_note("cwd is %zu bytes", strlen(buf));
    char *slash = strrchr(buf, '/');
    uc_val("getcwd ends with level 10's name", "%s",
           slash && !strcmp(slash + 1, names[CHECK_LEVEL]) ? "yes" : "no");
}

/* Down: mkdir, relative chdir, a file at every level. */
static int build_tree(void)
{
    char text[LINE_CAP];
    int done = 0;
    for (int i = 0; i < LEVELS; i++) {
        if (mkdir(names[i], 0755) < 0 || chdir(names[i]) < 0)
            break;
        snprintf(text, sizeof text, "file at level %d\n", i);
        if (put_file("f", text) < 0)
            break;
        if (i == CHECK_LEVEL)
            check_getcwd_fits();
        done++;
    }
    uc_val("levels made and entered", "%d", done);
    return done;
}

/* At the bottom: getcwd is past PATH_MAX; relative paths still work. */
static void at_the_bottom(void)
{
    static char buf[BIG_BUF];
    uc_ret("getcwd past PATH_MAX", getcwd(buf, sizeof buf) ? 0 : -1);
    char text[LINE_CAP] = "";
    int fd = open("../../f", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    text[n > 0 ? n : 0] = '\0';
    uc_val("read ../../f", "%zd %s", n, strtok(text, "\n"));
    struct stat st;
    uc_ret("stat of a level by ../", stat("../../../f", &st));
    /* A relative path up to level 10's file: 19 names of 200 bytes. */
    static char up[PATH_MAX * 2];
    up[0] = '\0';
    for (int i = CHECK_LEVEL + 1; i < LEVELS; i++)
        strcat(up, "../");
    strcat(up, "f");
    uc_ret("stat ../ x19 f", stat(up, &st));
    /* Up 19 levels and down again by name: nearly PATH_MAX bytes. */
    for (int i = CHECK_LEVEL + 1; i < LEVELS; i++) {
        up[strlen(up) - 1] = '\0';
        strcat(up, names[i]);
        strcat(up, "/f");
    }
    uc_val("a path up and down", "%zu bytes", strlen(up));
    uc_ret("stat it", stat(up, &st));
}

/* The sorted names in "." as one checksum, and how many there are. */
static int list_here(unsigned long *sum)
{
    DIR *d = opendir(".");
    if (!d)
        return -1;
    int n = 0;
    unsigned long s = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        s += uc_sum(e->d_name, strlen(e->d_name)); /* order-free */
    }
    closedir(d);
    *sum = (*sum * 31 + s) & 0xffffffffu;
    return n;
}

/* Up: list each level, remove its file and the level below it. */
static void remove_tree(int made)
{
    unsigned long sum = 0;
    int entries = 0, removed = 0;
    for (int i = made - 1; i >= 0; i--) {
        entries += list_here(&sum); /* its file, and the level below */
        if (i < made - 1 && rmdir(names[i + 1]) == 0)
            removed++;
        if (unlink("f") < 0 || chdir("..") < 0)
            break;
    }
    if (made > 0 && rmdir(names[0]) == 0)
        removed++;
    uc_val("levels listed", "%d entries, sum %lx", entries, sum);
    uc_val("levels removed", "%d", removed);
    uc_ret("the tree is gone", access(names[0], F_OK));
}

/* Path arguments of 4095 and 4096 bytes; names of 255 and 256 bytes. */
static void limits(void)
{
    static char path[PATH_MAX + 2];
    put_file("f", "x");
    memset(path, 0, sizeof path);
    for (int i = 0; i + 2 < PATH_MAX - 1; i += 2)
        memcpy(path + i, "./", 2);
    path[PATH_MAX - 2] = 'f'; /* 4095 bytes and the NUL */
    uc_ret("path of 4095 bytes", access(path, F_OK));
    path[PATH_MAX - 2] = '/';
    path[PATH_MAX - 1] = 'f'; /* 4096 bytes: one too many */
    uc_ret("path of 4096 bytes", access(path, F_OK));
    unlink("f");
    char name[NAME_MAX + 2];
    memset(name, 'n', sizeof name);
    name[NAME_MAX] = '\0';
    uc_ret("name of 255 bytes", mkdir(name, 0755));
    uc_ret("rmdir it", rmdir(name));
    name[NAME_MAX] = 'n';
    name[NAME_MAX + 1] = '\0';
    uc_ret("name of 256 bytes", mkdir(name, 0755));
}

static void proc_links(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    uc_ret("readlink /proc/self/exe", n > 0 ? 0 : -1);
    buf[n > 0 ? n : 0] = '\0';
    uc_note("exe %s", buf);
    char *slash = strrchr(buf, '/');
    uc_val("exe is absolute, ends in test_paths", "%s",
           buf[0] == '/' && slash && !strcmp(slash, "/test_paths") ? "yes"
                                                                   : "no");
    uc_ret("readlink into 4 bytes", readlink("/proc/self/exe", buf, 4));
    n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    uc_val("/proc/self is my pid", "%s", atoi(buf) == getpid() ? "yes" : "no");
    struct stat st;
    uc_val("lstat exe is a link", "%d",
           lstat("/proc/self/exe", &st) == 0 && S_ISLNK(st.st_mode));
    uc_val("stat exe is a file", "%d",
           stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode));
    put_file("plain", "x");
    uc_ret("readlink of a file", readlink("plain", buf, sizeof buf));
    uc_ret("readlink missing", readlink("none", buf, sizeof buf));
    unlink("plain");
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"test_paths", "--child", NULL};
        execv("/proc/self/exe", argv);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    uc_status("execve /proc/self/exe", status);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--child"))
        return CHILD_EXIT;
    uc_open(argc, argv);
    int keep = argc > 2 && !strcmp(argv[2], "keep");
    make_names();
    int made = build_tree();
    if (made == LEVELS)
        at_the_bottom();
    if (keep) {
        while (made-- > 0)
            chdir("..");
        return uc_close();
    }
    remove_tree(made);
    limits();
    proc_links();
    return uc_close();
}
