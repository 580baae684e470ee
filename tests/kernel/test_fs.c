/*
 * Self-tests of the file layer: paths, the VFS and its mounts, FAT32 behind
 * struct file, /dev, descriptor tables and pipes, all with kernel buffers
 * from kernel threads (no user mode is needed).
 *
 * Files are made under /kt_fs on the root volume and removed at the end of
 * each test, so the disk is left as it was found.
 *
 * Context: the boot task, interrupts on.
 * See: tests/kernel/README.md, docs/storage.md
 */
#include "ktest.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "lib/format.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "sched/sched.h"
#include "sched/task.h"

#define DIR_TEST      "/kt_fs"
#define SMALL_DIRENTS 48 /* room for one or two records per getdents */
#define PIPE_TOTAL    (1u << 20)
#define PIPE_CHUNK    3000

/* True if needle occurs in hay (the kernel has no strstr). */
static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        if (strncmp(hay, needle, n) == 0)
            return true;
    }
    return false;
}

static bool resolves(const char *cwd, const char *path, const char *want)
{
    struct vfs_node *at = vfs_node_new(cwd);
    char *out = NULL;
    bool ok =
        at && vfs_resolve(at, path, 0, &out) == 0 && strcmp(out, want) == 0;
    kfree(out);
    vfs_node_put(at);
    return ok;
}

/* `.`, `..`, repeated slashes, relative paths, and the limits. */
KTEST(fs_resolve_paths_by_walking_names)
{
    char *out = NULL;
    KTEST_CHECK(resolves("/", "a/b", "/a/b"));
    KTEST_CHECK(resolves("/x/y", "../z", "/x/z"));
    KTEST_CHECK(resolves("/x", "./a//b/./c/..", "/x/a/b"));
    KTEST_CHECK(resolves("/x", "/../../..", "/"));
    KTEST_CHECK(resolves("/x/y", "..", "/x"));
    KTEST_CHECK(resolves("/", ".", "/"));
    KTEST_CHECK(resolves("/dev", "null", "/dev/null"));
    KTEST_CHECK(resolves("/dev", "..", "/")); /* a mount's root: its folder */
    KTEST_CHECK(vfs_resolve(NULL, "", 0, &out) == -ENOENT);
    /* PATH_MAX - 1 bytes is a path; PATH_MAX bytes is not. */
    static char long_path[VFS_PATH_MAX + 1];
    for (size_t i = 0; i < VFS_PATH_MAX; i++)
        long_path[i] = (i % 2) ? '/' : 'a';
    long_path[VFS_PATH_MAX - 1] = '\0';
    KTEST_CHECK(vfs_resolve(NULL, long_path, 0, &out) == 0);
    kfree(out);
    out = NULL;
    long_path[VFS_PATH_MAX - 1] = 'a';
    long_path[VFS_PATH_MAX] = '\0';
    KTEST_CHECK(vfs_resolve(NULL, long_path, 0, &out) == -ENAMETOOLONG);
    /* A name of 255 bytes is a name; 256 is not. */
    static char name[VFS_NAME_MAX + 2];
    memset(name, 'n', VFS_NAME_MAX + 1);
    name[VFS_NAME_MAX + 1] = '\0';
    KTEST_CHECK(vfs_resolve(NULL, name, 0, &out) == -ENAMETOOLONG);
    name[VFS_NAME_MAX] = '\0';
    KTEST_CHECK(vfs_resolve(NULL, name, 0, &out) == 0);
    kfree(out);
    /* Past PATH_MAX below a working directory: the walk goes on. */
    static char deep[VFS_PATH_MAX * 2];
    memset(deep, 'd', sizeof deep - 1);
    deep[0] = '/';
    for (size_t i = VFS_NAME_MAX; i < sizeof deep - 1; i += VFS_NAME_MAX)
        deep[i] = '/';
    deep[sizeof deep - 1] = '\0';
    struct vfs_node *at = vfs_node_new(deep);
    KTEST_CHECK(at != NULL);
    out = NULL;
    KTEST_CHECK(vfs_resolve(at, "x", 0, &out) == 0 &&
                strlen(out) == sizeof deep + 1);
    kfree(out);
    vfs_node_put(at);
}

static long write_str(struct file *f, const char *s)
{
    return file_write(f, s, strlen(s));
}

/* open/read/write/lseek/stat through the VFS onto FAT32, with errors. */
KTEST(fs_fat_files_through_the_vfs)
{
    struct file *f;
    struct stat st;
    char buf[64];

    KTEST_CHECK(vfs_mkdir(NULL, DIR_TEST, 0755) == 0);
    struct vfs_node *dir = vfs_node_new(DIR_TEST);
    KTEST_CHECK(dir != NULL);
    KTEST_CHECK(vfs_open(dir, "a.txt", O_RDWR | O_CREAT, &f) == 0);
    vfs_node_put(dir);
    KTEST_CHECK(write_str(f, "hello, world") == 12);
    KTEST_CHECK(file_lseek(f, 7, SEEK_SET) == 7);
    KTEST_CHECK(file_read(f, buf, sizeof buf) == 5 &&
                memcmp(buf, "world", 5) == 0);
    KTEST_CHECK(file_stat(f, &st) == 0);
    KTEST_CHECK(st.st_size == 12 && (st.st_mode & S_IFMT) == S_IFREG);
    KTEST_CHECK((st.st_mode & 0777) == 0755 && st.st_blksize == 4096);
    KTEST_CHECK(st.st_ino != 0 && st.st_blocks == 8);
    KTEST_CHECK(st.st_mtim.tv_sec > 1600000000); /* the RTC's time */
    KTEST_CHECK(file_lseek(f, 0, 42) == -EINVAL);
    file_put(f);

    /* The same file by another path has the same st_ino. */
    struct stat st2;
    KTEST_CHECK(vfs_stat(NULL, "/KT_FS/./A.TXT", &st2) == 0);
    KTEST_CHECK(st2.st_ino == st.st_ino && st2.st_size == 12);

    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt", O_WRONLY | O_APPEND, &f) ==
                0);
    KTEST_CHECK(write_str(f, "!") == 1);
    KTEST_CHECK(file_read(f, buf, 1) == -EBADF);
    file_put(f);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt", O_RDONLY, &f) == 0);
    KTEST_CHECK(file_read(f, buf, sizeof buf) == 13 && buf[12] == '!');
    KTEST_CHECK(write_str(f, "x") == -EBADF);
    file_put(f);

    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt", O_CREAT | O_EXCL | O_RDWR,
                         &f) == -EEXIST);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/none", O_RDONLY, &f) == -ENOENT);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt/x", O_RDONLY, &f) == -ENOTDIR);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt/", O_RDONLY, &f) == -ENOTDIR);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST, O_WRONLY, &f) == -EISDIR);
    KTEST_CHECK(vfs_open(NULL, DIR_TEST "/a.txt", O_RDWR | O_TRUNC, &f) == 0);
    KTEST_CHECK(file_stat(f, &st) == 0 && st.st_size == 0);
    file_put(f);

    KTEST_CHECK(vfs_truncate(NULL, DIR_TEST "/a.txt", 5000) == 0);
    KTEST_CHECK(vfs_stat(NULL, DIR_TEST "/a.txt", &st) == 0 &&
                st.st_size == 5000);
    KTEST_CHECK(vfs_rename(NULL, DIR_TEST "/a.txt", NULL, DIR_TEST "/b.txt") ==
                0);
    KTEST_CHECK(vfs_stat(NULL, DIR_TEST "/a.txt", &st) == -ENOENT);
    KTEST_CHECK(vfs_rmdir(NULL, DIR_TEST) == -ENOTEMPTY);
    KTEST_CHECK(vfs_unlink(NULL, DIR_TEST) == -EISDIR);
    KTEST_CHECK(vfs_unlink(NULL, DIR_TEST "/b.txt") == 0);
    KTEST_CHECK(vfs_rmdir(NULL, DIR_TEST) == 0);
    KTEST_CHECK(vfs_stat(NULL, DIR_TEST, &st) == -ENOENT);
}

/* Collects the names getdents returns into `names` ("name/type;..."). */
static int list_dir(const char *path, size_t bufsize, char *names, size_t cap)
{
    struct file *f;
    uint8_t *buf = kmalloc(bufsize);
    size_t len = 0;
    int count = 0;

    names[0] = '\0';
    int err = vfs_open(NULL, path, O_RDONLY | O_DIRECTORY, &f);
    if (err < 0 || buf == NULL) {
        kfree(buf);
        return err < 0 ? err : -ENOMEM;
    }
    long n;
    while ((n = file_getdents(f, buf, bufsize)) > 0) {
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
            len += (size_t)ksnprintf(names + len, cap - len, "%s/%u;",
                                     d->d_name, d->d_type);
            count++;
            off += d->d_reclen;
        }
    }
    file_put(f);
    kfree(buf);
    return n < 0 ? (int)n : count;
}

/* Listings through buffers big and small agree, with . and .. and types. */
KTEST(fs_getdents_lists_every_entry)
{
    static char big[1024], small[1024];
    struct file *f;

    KTEST_CHECK(vfs_mkdir(NULL, DIR_TEST, 0755) == 0);
    KTEST_CHECK(vfs_mkdir(NULL, DIR_TEST "/sub", 0755) == 0);
    const char *files[] = {"one", "Two Words.txt", "a-rather-long-name.data"};
    for (int i = 0; i < 3; i++) {
        char path[VFS_PATH_MAX];
        ksnprintf(path, sizeof path, DIR_TEST "/%s", files[i]);
        KTEST_CHECK(vfs_open(NULL, path, O_CREAT | O_WRONLY, &f) == 0);
        file_put(f);
    }
    int n_big = list_dir(DIR_TEST, 4096, big, sizeof big);
    int n_small = list_dir(DIR_TEST, SMALL_DIRENTS, small, sizeof small);
    kprintf("ktest: listing %s\n", big);
    KTEST_CHECK(n_big == 6 && n_small == 6);
    KTEST_CHECK(strcmp(big, small) == 0);
    KTEST_CHECK(strcmp(big, "./4;../4;sub/4;one/8;Two Words.txt/8;"
                            "a-rather-long-name.data/8;") == 0);
    uint8_t tiny[8];
    KTEST_CHECK(vfs_open(NULL, DIR_TEST, O_RDONLY, &f) == 0);
    KTEST_CHECK(file_getdents(f, tiny, sizeof tiny) == -EINVAL);
    KTEST_CHECK(file_read(f, tiny, sizeof tiny) == -EISDIR);
    file_put(f);
    /* The root has . and .. too, and /dev's mount directory. */
    KTEST_CHECK(list_dir("/", 4096, big, sizeof big) >= 3);
    KTEST_CHECK(strncmp(big, "./4;../4;", 9) == 0);
    KTEST_CHECK(contains(big, ";dev/4;"));
    for (int i = 0; i < 3; i++) {
        char path[VFS_PATH_MAX];
        ksnprintf(path, sizeof path, DIR_TEST "/%s", files[i]);
        KTEST_CHECK(vfs_unlink(NULL, path) == 0);
    }
    KTEST_CHECK(vfs_rmdir(NULL, DIR_TEST "/sub") == 0);
    KTEST_CHECK(vfs_rmdir(NULL, DIR_TEST) == 0);
}

/* /dev/null, /dev/zero, the directory, and what /dev refuses. */
KTEST(fs_dev_null_and_zero)
{
    struct file *f;
    struct stat st;
    char buf[16];
    static char names[256];

    KTEST_CHECK(vfs_open(NULL, "/dev/null", O_RDWR, &f) == 0);
    KTEST_CHECK(file_write(f, "abc", 3) == 3);
    KTEST_CHECK(file_read(f, buf, sizeof buf) == 0);
    KTEST_CHECK(file_stat(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR);
    KTEST_CHECK(st.st_rdev == 0x103);
    file_put(f);
    struct vfs_node *dev = vfs_node_new("/dev");
    KTEST_CHECK(dev != NULL);
    KTEST_CHECK(vfs_open(dev, "zero", O_RDONLY, &f) == 0);
    KTEST_CHECK(vfs_stat(dev, "../dev/null", &st) == 0); /* up, and back */
    vfs_node_put(dev);
    memset(buf, 'x', sizeof buf);
    KTEST_CHECK(file_read(f, buf, sizeof buf) == sizeof buf);
    KTEST_CHECK(buf[0] == 0 && buf[15] == 0);
    file_put(f);
    KTEST_CHECK(list_dir("/dev", SMALL_DIRENTS, names, sizeof names) >= 4);
    KTEST_CHECK(contains(names, "null/2;") && contains(names, "zero/2;"));
    KTEST_CHECK(vfs_stat(NULL, "/dev", &st) == 0 &&
                (st.st_mode & S_IFMT) == S_IFDIR);
    KTEST_CHECK(vfs_stat(NULL, "/dev/../dev/./null", &st) == 0);
    KTEST_CHECK(vfs_stat(NULL, "/dev/nothing", &st) == -ENOENT);
    KTEST_CHECK(vfs_mkdir(NULL, "/dev/x", 0755) == -EROFS);
    KTEST_CHECK(vfs_mkdir(NULL, "/dev", 0755) == -EEXIST);
    KTEST_CHECK(vfs_rmdir(NULL, "/dev") == -EBUSY);
    KTEST_CHECK(vfs_rename(NULL, "/dev/null", NULL, "/null") == -EXDEV);
    KTEST_CHECK(vfs_open(NULL, "/dev/null", O_WRONLY | O_CREAT | O_EXCL, &f) ==
                -EEXIST);
}

/*
 * A filesystem of links only, mounted at /kt_links for the walk's rules:
 * "loop" names itself, "up" goes up out of the mount ("../dev/null"),
 * "dev" is absolute ("/dev"). Its root is a directory; nothing else is.
 */
#define LINKS_DIR_MODE 0755

static int links_readlink(const struct vfs_fs *fs, const char *path, char *buf,
                          size_t size)
{
    (void)fs;
    const char *text = strcmp(path, "/loop") == 0  ? "loop"
                       : strcmp(path, "/up") == 0  ? "../dev/null"
                       : strcmp(path, "/dev") == 0 ? "/dev"
                                                   : NULL;
    if (text == NULL)
        return -EINVAL;
    size_t n = strlen(text);
    if (n > size)
        return -ENAMETOOLONG;
    memcpy(buf, text, n);
    return (int)n;
}

static int links_stat(const struct vfs_fs *fs, const char *path,
                      struct stat *st)
{
    (void)fs;
    if (strcmp(path, "/") != 0)
        return -ENOENT;
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFDIR | LINKS_DIR_MODE;
    return 0;
}

static int links_open(const struct vfs_fs *fs, const char *path, int flags,
                      uint32_t mode, struct file **out)
{
    (void)fs, (void)path, (void)flags, (void)mode, (void)out;
    return -ENOENT;
}

static const struct vfs_fs links_fs = {
    .name = "kt_links",
    .open = links_open,
    .stat = links_stat,
    .readlink = links_readlink,
};

/* Links: followed absolute and relative, described by lstat, 40 at most. */
KTEST(fs_links_are_followed_and_loops_end)
{
    static bool mounted;
    if (!mounted)
        KTEST_CHECK(vfs_mount("/kt_links", "kt_links", &links_fs) == 0);
    mounted = true;
    char *out = NULL;
    KTEST_CHECK(vfs_resolve(NULL, "/kt_links/dev/null", 0, &out) == 0 &&
                strcmp(out, "/dev/null") == 0);
    kfree(out);
    struct stat st;
    KTEST_CHECK(vfs_stat(NULL, "/kt_links/up", &st) == 0 &&
                (st.st_mode & S_IFMT) == S_IFCHR);
    KTEST_CHECK(vfs_lstat(NULL, "/kt_links/up", &st) == 0 &&
                (st.st_mode & S_IFMT) == S_IFLNK && st.st_size == 11);
    KTEST_CHECK(vfs_stat(NULL, "/kt_links/loop", &st) == -ELOOP);
    KTEST_CHECK(vfs_stat(NULL, "/kt_links/loop/x", &st) == -ELOOP);
    out = NULL;
    KTEST_CHECK(vfs_resolve(NULL, "/kt_links/loop", VFS_NOFOLLOW, &out) == 0 &&
                strcmp(out, "/kt_links/loop") == 0);
    kfree(out);
    char buf[16];
    KTEST_CHECK(vfs_readlink(NULL, "/kt_links/up", buf, sizeof buf) == 11 &&
                memcmp(buf, "../dev/null", 11) == 0);
    KTEST_CHECK(vfs_readlink(NULL, "/kt_links/up", buf, 3) == 3);
    KTEST_CHECK(vfs_readlink(NULL, "/dev/null", buf, sizeof buf) == -EINVAL);
    KTEST_CHECK(vfs_readlink(NULL, "/kt_links/none", buf, sizeof buf) ==
                -ENOENT);
    /* A kernel thread has no process, so no /proc/self. */
    KTEST_CHECK(vfs_readlink(NULL, "/proc/self", buf, sizeof buf) == -ENOENT);
}

/* free and total bytes of the root volume. */
KTEST(fs_statfs_reports_the_volume)
{
    struct vfs_statfs s;
    KTEST_CHECK(vfs_statfs(NULL, "/", &s) == 0);
    KTEST_CHECK(s.total > (500ull << 20) && s.free > 0 && s.free <= s.total);
    KTEST_CHECK(s.magic == 0x4d44); /* MSDOS_SUPER_MAGIC */
    KTEST_CHECK(vfs_statfs(NULL, "/missing", &s) == -ENOENT);
}

/* ---- descriptor tables ---- */

KTEST(fs_fdtable_install_dup_clone_cloexec)
{
    struct fdtable *t = fdtable_new();
    struct file *f, *got;
    KTEST_CHECK(t != NULL);
    if (!t)
        return;
    KTEST_CHECK(vfs_open(NULL, "/dev/null", O_RDWR, &f) == 0);
    KTEST_CHECK(fdtable_install(t, f, 0, false) == 0);
    KTEST_CHECK(fdtable_dup2(t, 0, 5, true) == 5);
    KTEST_CHECK(f->refs == 2);
    KTEST_CHECK(fdtable_dup2(t, 0, 0, false) == 0 && f->refs == 2);
    KTEST_CHECK(fdtable_get(t, 5, &got) == 0 && got == f && f->refs == 3);
    file_put(got);
    KTEST_CHECK(fdtable_get(t, 4, &got) == -EBADF);
    KTEST_CHECK(fdtable_get(t, -1, &got) == -EBADF);
    KTEST_CHECK(fdtable_get(t, FD_MAX, &got) == -EBADF);
    struct fdtable *c = fdtable_clone(t);
    KTEST_CHECK(c != NULL && f->refs == 4);
    fdtable_close_on_exec(c);
    KTEST_CHECK(c->files[5] == NULL && c->files[0] == f && f->refs == 3);
    fdtable_free(c);
    KTEST_CHECK(f->refs == 2);
    for (int i = 0; i < FD_MAX; i++) {
        file_get(f);
        int fd = fdtable_install(t, f, 0, false);
        if (fd < 0) {
            KTEST_CHECK(fd == -EMFILE && i == FD_MAX - 2);
            file_put(f);
            break;
        }
    }
    KTEST_CHECK(fdtable_close(t, 3) == 0 && fdtable_close(t, 3) == -EBADF);
    KTEST_CHECK(fdtable_install(t, f, FD_MAX, false) == -EINVAL);
    fdtable_free(t); /* every reference goes, and the file is released */
}

/* ---- pipes ---- */

KTEST(fs_pipe_eof_epipe_nonblock)
{
    struct file *rd, *wr;
    char buf[8];

    KTEST_CHECK(pipe_create(O_NONBLOCK, &rd, &wr) == 0);
    KTEST_CHECK(file_read(rd, buf, sizeof buf) == -EAGAIN);
    KTEST_CHECK(file_write(wr, "hey", 3) == 3);
    KTEST_CHECK(file_read(rd, buf, sizeof buf) == 3);
    KTEST_CHECK(file_write(rd, "x", 1) == -EBADF);
    KTEST_CHECK(file_read(wr, buf, 1) == -EBADF);
    KTEST_CHECK(file_lseek(rd, 0, SEEK_SET) == -ESPIPE);
    struct stat st;
    KTEST_CHECK(file_stat(rd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO);
    /* Fill it: the write that does not fit is -EAGAIN, after a short one. */
    uint8_t *big = kmalloc(PIPE_BYTES + 1);
    long n = big ? file_write(wr, big, PIPE_BYTES + 1) : 0;
    KTEST_CHECK(n == PIPE_BYTES);
    KTEST_CHECK(file_write(wr, "x", 1) == -EAGAIN);
    kfree(big);
    file_put(wr);
    /* The writer is gone: the bytes left, then end of file. */
    KTEST_CHECK(file_read(rd, buf, 1) == 1);
    file_put(rd);

    KTEST_CHECK(pipe_create(0, &rd, &wr) == 0);
    KTEST_CHECK(file_write(wr, "a", 1) == 1);
    file_put(wr);
    KTEST_CHECK(file_read(rd, buf, sizeof buf) == 1);
    KTEST_CHECK(file_read(rd, buf, sizeof buf) == 0);
    file_put(rd);

    KTEST_CHECK(pipe_create(0, &rd, &wr) == 0);
    file_put(rd);
    KTEST_CHECK(file_write(wr, "a", 1) == -EPIPE);
    file_put(wr);
}

struct pump {
    struct file *f;
    uint32_t sum;
    size_t bytes;
};

static int pipe_writer(void *arg)
{
    struct pump *p = arg;
    uint8_t buf[PIPE_CHUNK];
    size_t sent = 0;
    while (sent < PIPE_TOTAL) {
        size_t n =
            PIPE_TOTAL - sent < sizeof buf ? PIPE_TOTAL - sent : sizeof buf;
        for (size_t i = 0; i < n; i++) {
            buf[i] = (uint8_t)((sent + i) * 7);
            p->sum = p->sum * 31 + buf[i];
        }
        long w = file_write(p->f, buf, n);
        if (w != (long)n)
            return 1;
        sent += n;
    }
    p->bytes = sent;
    file_put(p->f); /* the reader then sees end of file */
    return 0;
}

/* 1 MiB through a pipe between two threads: blocking both ways, in order. */
KTEST(fs_pipe_carries_a_mebibyte_between_threads)
{
    struct file *rd, *wr;
    struct pump w = {0};
    uint32_t sum = 0;
    size_t got = 0;
    uint8_t buf[1000];

    KTEST_CHECK(pipe_create(0, &rd, &wr) == 0);
    w.f = wr;
    struct task *t = task_create("pipe-writer", pipe_writer, &w, false);
    KTEST_CHECK(t != NULL);
    if (!t)
        return;
    sched_sleep_ms(20); /* let the writer fill the ring and block */
    long n;
    while ((n = file_read(rd, buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        got += (size_t)n;
    }
    KTEST_CHECK(task_join(t) == 0);
    KTEST_CHECK(n == 0 && got == PIPE_TOTAL && w.bytes == PIPE_TOTAL);
    KTEST_CHECK(sum == w.sum);
    file_put(rd);
}
