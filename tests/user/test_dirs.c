/*
 * Differential test: directories, names, the current directory, *at calls.
 *
 * Makes and removes directories, lists them (names sorted, "." and ".."
 * left out, since FAT32's root has neither), renames them over each other,
 * and walks the error paths (EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY,
 * EINVAL, ENAMETOOLONG). Full paths differ between systems, so getcwd is
 * printed as a "~ " line and only its last component is compared.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucheck.h"

#define MANY_FILES 120 /* more than one FAT cluster of directory entries */
#define NAME_CAP   64

static int touch(const char *name)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    return close(fd);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints a directory's sorted names (without "." and "..") as one case. */
static void list_dir(const char *label, const char *path)
{
    static char *names[MANY_FILES + 16];
    size_t n = 0, total = 0;
    DIR *d = opendir(path);
    if (!d) {
        uc_ret(label, -1);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        total++;
        if (n < sizeof names / sizeof names[0])
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    char line[4096] = "";
    for (size_t i = 0; i < n && i < 8; i++) {
        strncat(line, names[i], sizeof line - strlen(line) - 2);
        strcat(line, " ");
    }
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum = sum * 31 + uc_sum(names[i], strlen(names[i]));
        free(names[i]);
    }
    uc_val(label, "%zu [%s] %lx", total, line, sum & 0xffffffffu);
}

static void make_and_remove(void)
{
    uc_ret("mkdir", mkdir("d1", 0755));
    uc_ret("mkdir existing", mkdir("d1", 0755));
    uc_ret("mkdir nested", mkdir("d1/sub", 0755));
    uc_ret("mkdir missing parent", mkdir("nope/sub", 0755));
    touch("f1");
    uc_ret("mkdir over file", mkdir("f1", 0755));
    uc_ret("mkdir under file", mkdir("f1/sub", 0755));
    uc_ret("mkdir trailing slash", mkdir("d2/", 0755));
    uc_ret("rmdir trailing slash", rmdir("d2/"));
    uc_ret("rmdir non-empty", rmdir("d1"));
    uc_ret("rmdir file", rmdir("f1"));
    uc_ret("rmdir missing", rmdir("nope"));
    uc_ret("rmdir dot", rmdir("d1/sub/."));
    uc_ret("unlink dir", unlink("d1/sub"));
    uc_ret("rmdir empty", rmdir("d1/sub"));
    uc_ret("rmdir now empty", rmdir("d1"));
    uc_ret("stat removed", access("d1", F_OK));
}

static void listing(void)
{
    mkdir("list", 0755);
    list_dir("empty dir", "list");
    touch("list/banana");
    touch("list/apple");
    mkdir("list/cherry", 0755);
    touch("list/a-much-longer-name-than-eight-dot-three.txt");
    list_dir("four entries", "list");
    char name[NAME_CAP];
    for (int i = 0; i < MANY_FILES; i++) {
        snprintf(name, sizeof name, "list/file%03d.dat", i);
        touch(name);
    }
    list_dir("many entries", "list");
    for (int i = 0; i < MANY_FILES; i += 2) {
        snprintf(name, sizeof name, "list/file%03d.dat", i);
        unlink(name);
    }
    list_dir("after removing half", "list");
    uc_ret("opendir on file", opendir("list/apple") ? 0 : -1);
    uc_ret("opendir missing", opendir("list/none") ? 0 : -1);
}

static void cwd(void)
{
    char path[PATH_MAX];
    mkdir("cw", 0755);
    mkdir("cw/inner", 0755);
    uc_ret("chdir", chdir("cw/inner"));
    getcwd(path, sizeof path);
    uc_note("cwd %s", path);
    char *slash = strrchr(path, '/');
    uc_val("cwd last component", "%s", slash ? slash + 1 : path);
    uc_ret("touch in cwd", touch("here"));
    uc_ret("chdir ..", chdir(".."));
    uc_ret("relative path", access("inner/here", F_OK));
    uc_ret("chdir ../..", chdir(".."));
    uc_ret("chdir missing", chdir("nope"));
    touch("plain");
    uc_ret("chdir to file", chdir("plain"));
    uc_ret("getcwd too small", getcwd(path, 2) ? 0 : -1);
    int fd = open("cw", O_RDONLY | O_DIRECTORY);
    uc_ret("open O_DIRECTORY", fd >= 0 ? 0 : -1);
    uc_ret("fchdir", fchdir(fd));
    uc_ret("fchdir worked", access("inner/here", F_OK));
    chdir("..");
    close(fd);
}

static void renames(void)
{
    mkdir("ra", 0755);
    touch("ra/x");
    mkdir("rb", 0755);
    uc_ret("rename dir over empty dir", rename("ra", "rb"));
    uc_ret("moved content", access("rb/x", F_OK));
    uc_ret("rename dir into itself", rename("rb", "rb/inside"));
    mkdir("rc", 0755);
    touch("rc/y");
    uc_ret("rename dir over non-empty", rename("rc", "rb"));
    touch("rf");
    uc_ret("rename file over dir", rename("rf", "rb"));
    uc_ret("rename dir over file", rename("rb", "rf"));
    uc_ret("rename into subdir", rename("rf", "rc/rf"));
    uc_ret("rename out of subdir", rename("rc/rf", "rf2"));
    uc_ret("rename dir", rename("rc", "rd"));
    list_dir("renamed dir", "rd");
    uc_ret("rename missing parent", rename("rf2", "nope/rf2"));
}

static void names(void)
{
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    uc_ret("name of 299 bytes", open(longname, O_WRONLY | O_CREAT, 0644));
    longname[200] = 0;
    int fd = open(longname, O_WRONLY | O_CREAT, 0644);
    uc_ret("name of 200 bytes", fd >= 0 ? 0 : -1);
    close(fd);
    uc_ret("unlink 200", unlink(longname));
    uc_ret("empty path", open("", O_RDONLY));
    uc_ret("file as dir in path", open("plain/x", O_RDONLY));
    uc_ret("stat file with slash", access("plain/", F_OK));
    uc_ret("dot dot at scratch", access("cw/../cw/inner/./here", F_OK));
}

static void at_calls(void)
{
    int dfd = open("cw", O_RDONLY | O_DIRECTORY);
    int fd = openat(dfd, "at-file", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    uc_ret("openat", fd >= 0 ? 0 : -1);
    uc_ret("write at-file", write(fd, "abc", 3));
    close(fd);
    struct stat st;
    uc_ret("fstatat", fstatat(dfd, "at-file", &st, 0));
    uc_val("fstatat size", "%ld", (long)st.st_size);
    uc_ret("faccessat", faccessat(dfd, "at-file", F_OK, 0));
    uc_ret("mkdirat", mkdirat(dfd, "at-dir", 0755));
    uc_ret("renameat", renameat(dfd, "at-file", dfd, "at-dir/moved"));
    uc_ret("unlinkat file", unlinkat(dfd, "at-dir/moved", 0));
    uc_ret("unlinkat dir no flag", unlinkat(dfd, "at-dir", 0));
    uc_ret("unlinkat dir", unlinkat(dfd, "at-dir", AT_REMOVEDIR));
    uc_ret("openat AT_FDCWD", openat(AT_FDCWD, "cw/at-dir", O_RDONLY));
    uc_ret("openat bad dirfd", openat(999, "x", O_RDONLY));
    uc_ret("openat file dirfd", openat(open("plain", O_RDONLY), "x", O_RDONLY));
    close(dfd);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    make_and_remove();
    listing();
    cwd();
    renames();
    names();
    at_calls();
    list_dir("scratch at the end", ".");
    return uc_close();
}
