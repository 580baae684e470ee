/*
 * Differential test: what a Unix filesystem has and FAT32 has not, on
 * Ember's tmpfs and on Linux.
 *
 * Symbolic links (readlink, lstat, dangling links, loops, 40 links and
 * the 41st, O_NOFOLLOW, O_CREAT through a link), hard links (link counts,
 * one inode, unlink while open), modes (open and mkdir with the umask,
 * chmod, fchmod, fchmodat), owners, names that differ in case, times to
 * the nanosecond (utimensat, UTIME_OMIT), rename over files and
 * directories, a listing read while it is emptied, a shared mapping and
 * a program copied in and run. It works in a new directory under /tmp
 * when /tmp is a tmpfs (Ember, and Linux hosts that have one), else under
 * the scratch directory it is started in: everything it prints is the
 * same on any Unix filesystem, inode numbers and times of day left out.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md, docs/storage.md
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ucheck.h"

#define TMPFS_MAGIC  0x01021994
#define CHAIN_LINKS  41  /* l0 .. l40: 40 links resolve, the 41st is ELOOP */
#define NAME_CAP     300 /* a name of 255 bytes and a folder in front */
#define LISTED_FILES 50
#define EXIT_CHILD   7
#define COPY_CHUNK   65536
#define PAGE         4096

static int put(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The file's first bytes as a case ("ENOENT" if it cannot be read). */
static void show(const char *label, const char *name)
{
    char buf[64] = {0};
    int fd = open(name, O_RDONLY);
    if (fd < 0) {
        uc_ret(label, -1);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    uc_val(label, "%zd <%s>", n, n > 0 ? buf : "");
}

static void show_stat(const char *label, const char *name, bool follow)
{
    struct stat st;
    int r = follow ? stat(name, &st) : lstat(name, &st);
    if (r < 0) {
        uc_ret(label, -1);
        return;
    }
    /* A directory's size is the filesystem's own (4096, or 40 + 20 a name). */
    uc_val(label, "mode %o nlink %lu size %lld", (unsigned)st.st_mode,
           (unsigned long)st.st_nlink,
           S_ISDIR(st.st_mode) ? 0ll : (long long)st.st_size);
}

static void symlinks(void)
{
    char buf[64];
    put("file", "hello");
    uc_ret("symlink", symlink("file", "link"));
    uc_ret("symlink exists", symlink("file", "link"));
    uc_ret("symlink empty target", symlink("", "empty"));
    ssize_t n = readlink("link", buf, sizeof buf);
    uc_val("readlink", "%zd <%.*s>", n, n > 0 ? (int)n : 0, buf);
    uc_ret("readlink short buffer", readlink("link", buf, 2));
    uc_ret("readlink not a link", readlink("file", buf, sizeof buf));
    uc_ret("readlink missing", readlink("nothing", buf, sizeof buf));
    show_stat("lstat link", "link", false);
    show_stat("stat link", "link", true);
    show("read through link", "link");
    uc_ret("symlink dangling", symlink("target-later", "dangling"));
    show_stat("stat dangling", "dangling", true);
    show_stat("lstat dangling", "dangling", false);
    int fd = open("dangling", O_WRONLY | O_CREAT, 0644);
    uc_ret("O_CREAT through dangling", fd < 0 ? -1 : 0);
    if (fd >= 0)
        close(fd);
    show_stat("target made", "target-later", false);
    uc_ret("O_CREAT|O_EXCL on a link",
           open("link", O_WRONLY | O_CREAT | O_EXCL, 0644));
    uc_ret("O_NOFOLLOW on a link", open("link", O_RDONLY | O_NOFOLLOW));
    fd = open("file", O_RDONLY | O_NOFOLLOW);
    uc_ret("O_NOFOLLOW on a file", fd < 0 ? -1 : 0);
    if (fd >= 0)
        close(fd);
    uc_ret("loop a", symlink("loop-b", "loop-a"));
    uc_ret("loop b", symlink("loop-a", "loop-b"));
    uc_ret("open loop", open("loop-a", O_RDONLY));
    uc_ret("stat through loop", access("loop-a/x", F_OK));
    char name[NAME_CAP], prev[NAME_CAP] = "file";
    for (int i = 0; i < CHAIN_LINKS; i++) {
        snprintf(name, sizeof name, "chain%d", i);
        symlink(prev, name);
        memcpy(prev, name, sizeof prev);
    }
    show("40 links", "chain39");
    uc_ret("41 links", open("chain40", O_RDONLY));
    uc_ret("mkdir dir", mkdir("dir", 0755));
    uc_ret("symlink to dir", symlink("dir", "dirlink"));
    uc_ret("file through dirlink/", put("dirlink/inner", "inner"));
    show("read dir/inner", "dir/inner");
    uc_ret("relative link up", symlink("../file", "dir/up"));
    show("read dir/up", "dir/up");
    uc_ret("rmdir a link to a dir", rmdir("dirlink"));
    uc_ret("unlink a link to a dir", unlink("dirlink"));
    show_stat("dir stays", "dir/inner", false);
}

static void hard_links(void)
{
    struct stat a, b;
    put("h1", "shared");
    uc_ret("link", link("h1", "h2"));
    uc_ret("link again", link("h1", "h3"));
    show_stat("three names", "h1", false);
    stat("h1", &a);
    stat("h3", &b);
    uc_val("one inode", "%d", a.st_ino == b.st_ino);
    uc_ret("link exists", link("h1", "h2"));
    uc_ret("link missing", link("none", "h4"));
    uc_ret("link a dir", link("dir", "dir2"));
    uc_ret("link a symlink", link("link", "hlink"));
    show_stat("hard link to a symlink", "hlink", false);
    put("h2", "rewritten");
    show("write through one name", "h3");
    int fd = open("h1", O_RDONLY);
    unlink("h1");
    unlink("h2");
    unlink("h3");
    struct stat st;
    fstat(fd, &st);
    uc_val("open after unlink", "nlink %lu size %lld",
           (unsigned long)st.st_nlink, (long long)st.st_size);
    char buf[16] = {0};
    uc_ret("read after unlink", read(fd, buf, sizeof buf - 1));
    uc_val("data kept", "<%s>", buf);
    uc_ret("close", close(fd));
    uc_ret("gone", access("h1", F_OK));
}

static void modes(void)
{
    struct stat st;
    mode_t old = umask(022);
    int fd = open("m600", O_WRONLY | O_CREAT, 0600);
    close(fd);
    fd = open("m666", O_WRONLY | O_CREAT, 0666);
    close(fd);
    mkdir("d777", 0777);
    umask(077);
    fd = open("masked", O_WRONLY | O_CREAT, 0666);
    close(fd);
    umask(old);
    const char *names[] = {"m600", "m666", "d777", "masked"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        show_stat(names[i], names[i], false);
    uc_ret("chmod 4751", chmod("m666", 04751));
    show_stat("after chmod", "m666", false);
    uc_ret("chmod 0", chmod("m666", 0));
    show_stat("after chmod 0", "m666", false);
    fd = open("m600", O_RDONLY);
    uc_ret("fchmod 640", fchmod(fd, 0640));
    close(fd);
    show_stat("after fchmod", "m600", false);
    uc_ret("fchmodat 700", fchmodat(AT_FDCWD, "m600", 0700, 0));
    show_stat("after fchmodat", "m600", false);
    uc_ret("chmod through link", chmod("link", 0604));
    show_stat("link target", "file", false);
    show_stat("link itself", "link", false);
    uc_ret("chmod missing", chmod("none", 0644));
    uc_ret("chown to me", chown("file", getuid(), getgid()));
    uc_ret("chown -1", chown("file", (uid_t)-1, (gid_t)-1));
    uc_ret("lchown link", lchown("link", getuid(), getgid()));
    stat("file", &st);
    uc_val("owner is me", "%d", st.st_uid == getuid() && st.st_gid == getgid());
}

static void case_and_times(void)
{
    put("Name", "upper");
    put("name", "lower");
    show("Name", "Name");
    show("name", "name");
    struct timespec ts[2] = {{1234567890, 123456789}, {987654321, 999999999}};
    uc_ret("utimensat", utimensat(AT_FDCWD, "name", ts, 0));
    struct stat st;
    stat("name", &st);
    uc_val("times", "a %lld.%09ld m %lld.%09ld", (long long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec);
    struct timespec keep[2] = {{5, 0}, {0, UTIME_OMIT}};
    uc_ret("utimensat omit", utimensat(AT_FDCWD, "name", keep, 0));
    stat("name", &st);
    uc_val("times omit", "a %lld.%09ld m %lld.%09ld",
           (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    uc_ret("utimensat bad nsec", utimensat(AT_FDCWD, "name", bad, 0));
    uc_ret("utimensat missing", utimensat(AT_FDCWD, "none", ts, 0));
    int fd = open("name", O_RDONLY);
    uc_ret("futimens", futimens(fd, ts));
    close(fd);
}

static void renames(void)
{
    struct stat a, b;
    put("r1", "one");
    put("r2", "two");
    stat("r1", &a);
    uc_ret("rename over a file", rename("r1", "r2"));
    stat("r2", &b);
    uc_val("same inode", "%d", a.st_ino == b.st_ino);
    show("r2 now", "r2");
    mkdir("e1", 0755);
    mkdir("e2", 0755);
    mkdir("full", 0755);
    put("full/x", "x");
    uc_ret("dir over empty dir", rename("e1", "e2"));
    uc_ret("dir over full dir", rename("e2", "full"));
    uc_ret("dir over file", rename("e2", "r2"));
    uc_ret("file over dir", rename("r2", "e2"));
    uc_ret("dir into itself", rename("full", "full/sub"));
    link("r2", "r3");
    uc_ret("rename between links", rename("r2", "r3"));
    show_stat("both names stay", "r2", false);
    uc_ret("rename a link", rename("link", "link2"));
    show("moved link", "link2");
    show_stat("e2 is the old e1", "e2", false);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void listing(void)
{
    mkdir("many", 0755);
    char name[NAME_CAP];
    for (int i = 0; i < LISTED_FILES; i++) {
        snprintf(name, sizeof name, "many/f%02d", i);
        put(name, "x");
    }
    symlink("f00", "many/zlink");
    mkdir("many/zdir", 0755);
    DIR *d = opendir("many");
    struct dirent *e;
    int seen = 0, removed = 0;
    char *types[4] = {0};
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        seen++;
        snprintf(name, sizeof name, "many/%s", e->d_name);
        if (e->d_name[0] == 'z') {
            char *t = malloc(NAME_CAP);
            snprintf(t, NAME_CAP, "%s %s", e->d_name,
                     e->d_type == DT_LNK   ? "DT_LNK"
                     : e->d_type == DT_DIR ? "DT_DIR"
                                           : "other");
            types[e->d_name[1] == 'l'] = t;
        } else if (unlink(name) == 0) {
            removed++;
        }
    }
    closedir(d);
    qsort(types, 2, sizeof types[0], by_name);
    uc_val("listed while removing", "%d seen %d removed", seen, removed);
    uc_val("types", "%s, %s", types[0], types[1]);
    free(types[0]);
    free(types[1]);
}

/* mknod: FIFOs and device nodes are names with a type and a number (what
 * busybox's mkfifo, diff and mdev make); opening them is not tried, as
 * Ember's tmpfs has no named pipes yet (docs/storage.md). */
static void nodes(void)
{
    struct stat st;
    mode_t old = umask(022);
    uc_ret("mkfifo", mkfifo("fifo", 0666));
    show_stat("fifo", "fifo", false);
    uc_ret("mkfifo exists", mkfifo("fifo", 0666));
    uc_ret("mknod block", mknod("blk", S_IFBLK | 0660, makedev(8, 1)));
    uc_ret("mknod char", mknod("chr", S_IFCHR | 0666, makedev(1, 3)));
    const char *devs[] = {"blk", "chr"};
    for (int i = 0; i < 2; i++) {
        if (lstat(devs[i], &st) == 0)
            uc_val(devs[i], "mode %o rdev %u,%u size %lld",
                   (unsigned)st.st_mode, major(st.st_rdev), minor(st.st_rdev),
                   (long long)st.st_size);
        else
            uc_ret(devs[i], -1);
    }
    uc_ret("mknod regular", mknod("reg", 0644, 0));
    show_stat("regular", "reg", false);
    uc_ret("mknod regular exists", mknod("reg", S_IFREG | 0644, 0));
    uc_ret("mknod directory", mknod("dir", S_IFDIR | 0755, 0));
    uc_ret("mknod bad type", mknod("bad", S_IFMT | 0644, 0));
    uc_ret("mknod no folder", mknod("nowhere/fifo", S_IFIFO | 0644, 0));
    uc_ret("mknodat", mknodat(AT_FDCWD, "fifo2", S_IFIFO | 0600, 0));
    DIR *d = opendir(".");
    struct dirent *e;
    int fifos = 0, blks = 0, chrs = 0;
    while (d && (e = readdir(d))) {
        fifos += e->d_type == DT_FIFO;
        blks += e->d_type == DT_BLK;
        chrs += e->d_type == DT_CHR;
    }
    if (d)
        closedir(d);
    uc_val("listed types", "%d fifo %d blk %d chr", fifos, blks, chrs);
    uc_ret("unlink fifo", unlink("fifo"));
    unlink("fifo2");
    unlink("blk");
    unlink("chr");
    unlink("reg");
    umask(old);
}

static void mapped_and_run(void)
{
    /*
     * Read-only and shared (Ember refuses writable shared mappings): a
     * later write through the file shows in the mapping, one page for both.
     */
    int fd = open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 2 * PAGE);
    pwrite(fd, "before", 6, PAGE - 3);
    char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    uc_val("mmap", "%d", p != MAP_FAILED);
    if (p != MAP_FAILED) {
        uc_val("read by mapping", "<%.6s>", p + PAGE - 3);
        pwrite(fd, "after!", 6, PAGE - 3);
        uc_val("later write seen", "<%.6s>", p + PAGE - 3);
        munmap(p, 2 * PAGE);
    }
    close(fd);

    /* The program itself, copied here and run. */
    int in = open(uc_self, O_RDONLY),
        out = open("copy", O_WRONLY | O_CREAT, 0755);
    static char chunk[COPY_CHUNK];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, chunk, sizeof chunk)) > 0)
        write(out, chunk, (size_t)n);
    close(in);
    close(out);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./copy", "copy", "--exit-child", (char *)NULL);
        _exit(1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    uc_status("copy run from here", st);
}

/* A fresh folder on a tmpfs if /tmp is one, else in the scratch folder. */
static void enter_workdir(void)
{
    struct statfs sf;
    char dir[NAME_CAP];
    bool tmp = statfs("/tmp", &sf) == 0 && sf.f_type == TMPFS_MAGIC;
    snprintf(dir, sizeof dir, "%s/test_tmpfs.%d", tmp ? "/tmp" : ".",
             (int)getpid());
    mkdir(dir, 0700);
    if (chdir(dir) < 0)
        exit(3);
    uc_note("working in %s (%s)", dir, tmp ? "tmpfs" : "scratch");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--exit-child") == 0)
        return EXIT_CHILD;
    uc_open(argc, argv);
    if (uc_self[0] != '/') { /* it is about to leave its folder */
        static char abs[PATH_MAX];
        if (realpath(uc_self, abs))
            uc_self = abs;
    }
    enter_workdir();
    symlinks();
    hard_links();
    modes();
    case_and_times();
    renames();
    listing();
    nodes();
    mapped_and_run();
    return uc_close();
}
