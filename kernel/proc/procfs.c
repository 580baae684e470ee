/*
 * /proc: meminfo, uptime, Ember's own figures, and one directory per
 * process (and per thread, under task/) with stat, status and cmdline, in
 * the formats ps, top, free and uptime read (procfs_text.c makes them).
 *
 * Each file is a snapshot: its text is made when it is opened, and reads
 * and seeks walk that copy, so a program reading in small pieces sees one
 * consistent state (Linux regenerates per read; for these small files a
 * snapshot is simpler and equivalent).
 *
 *   /proc/meminfo     MemTotal, MemFree, MemAvailable, ... in kB
 *   /proc/uptime      "uptime idle" in seconds with two decimals
 *   /proc/ember       Ember's kernel figures: frames used and free, heap
 *                     in use (the hostile tests' baseline), ATA commands
 *                     by DMA and by PIO, sectors moved, and the page
 *                     cache's counters (docs/storage.md, section 11a)
 *   /proc/klog        the kernel log's last lines (log_recent()), for dmesg
 *   /proc/sys/vm/drop_caches  write 1 or 3: the page cache forgets its
 *                     clean pages (2, slab objects, is accepted and does
 *                     nothing: Ember has no slab caches)
 *   /proc/<pid>/stat  the 52 fields of proc(5), unknown ones 0
 *   /proc/<pid>/status  Name, State, Tgid, Pid, PPid, VmSize, Threads and
 *                     the signal sets, one "Name:\tvalue" a line
 *   /proc/<pid>/cmdline  argv, each NUL-terminated
 *   /proc/<pid>/comm  the name stat shows, and a newline (pidof, ps -o comm)
 *   /proc/<pid>/exe   a link to the program the process runs
 *   /proc/<pid>/task/ one directory per thread id, <tid>/ holding the same
 *                     files for that thread (its own id, state, CPU time,
 *                     mask and pending signals); /proc/<tid> works too,
 *                     unlisted, as on Linux (busybox ps -T reads it)
 *   /proc/self        a link to the caller's own /proc/<pid>
 *
 * Locking: none here; proc_list() and the memory counters take their own.
 * Context: task.
 * See: docs/storage.md
 */
#include "proc/procfs.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/dirent.h"
#include "fs/file.h"
#include "fs/storage.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "proc/process.h"
#include "proc/procfs_text.h"
#include "proc/procinfo.h"
#include "proc/thread.h"

#define PROCFS_DEV       0x0004
#define PROCFS_FILE_MODE 0444
#define PROCFS_DIR_MODE  0555
#define PROCFS_MAGIC     0x9fa0 /* statfs f_type, <linux/magic.h> */
#define PROCFS_TEXT_MAX  2048   /* the longest file made here, cmdline aside */
#define PROCFS_PIDS_MAX  256    /* processes listed in one readdir */
#define PROCFS_KLOG      3      /* top_files[3] */
#define PROCFS_MOUNTS    4      /* top_files[4] */
#define PID_MOUNTS       2      /* pid_files[2]: the same table */
#define PID_COMM         3      /* pid_files[3]: the name */
#define PID_STATUS       4      /* pid_files[4] */
#define TASK_DIR         "task"
#define TASK_DIR_LEN     4

/* An open /proc file: its text, made at open. */
struct snapshot {
    size_t len;
    size_t pos;
    char text[];
};

/* An open /proc directory: its entries, made at open. */
struct listing {
    unsigned count;
    unsigned next;
    int pid;   /* 0 for /proc itself */
    int tid;   /* a thread's directory (task/<tid>), else 0 */
    bool task; /* <pid>/task: pids[] holds the tids */
    int pids[];
};

static const char *const top_files[] = {"meminfo", "uptime", "ember", "klog",
                                        "mounts"};
static const char *const pid_files[] = {"stat", "cmdline", "mounts", "comm",
                                        "status"};
#define TOP_FILES (sizeof top_files / sizeof top_files[0])
#define PID_FILES (sizeof pid_files / sizeof pid_files[0])

/* ---- paths ---- */

/* Parses "/<pid>" or "/<pid>/<file>": the pid, and *rest after it. */
static int parse_pid(const char *path, const char **rest)
{
    int pid = 0;
    const char *p = path + 1;
    if (*p < '1' || *p > '9')
        return -ENOENT;
    while (*p >= '0' && *p <= '9') {
        if (pid > 10000000)
            return -ENOENT;
        pid = pid * 10 + (*p++ - '0');
    }
    if (*p != '\0' && *p != '/')
        return -ENOENT;
    *rest = *p ? p + 1 : p;
    return pid;
}

enum node {
    NODE_ROOT,
    NODE_TOP_FILE,
    NODE_PID_DIR,
    NODE_PID_FILE,
    NODE_TASK_DIR
};

/* What is named inside /proc: a node, the process, the thread (0: the
 * process itself) and which file. */
struct where {
    int node;
    int pid, tid;
    int which;
};

/* The rest of a path after <pid>/ or task/<tid>/: a directory or a file. */
static int classify_in(const char *rest, struct where *w)
{
    if (*rest == '\0')
        return w->node = NODE_PID_DIR;
    for (size_t i = 0; i < PID_FILES; i++) {
        if (strcmp(rest, pid_files[i]) == 0) {
            w->which = (int)i;
            return w->node = NODE_PID_FILE;
        }
    }
    return -ENOENT;
}

/* What path names, or -ENOENT if nothing. */
static int classify(const char *path, struct where *w)
{
    const char *rest;
    struct proc_info info;
    *w = (struct where){0};
    if (strcmp(path, "/") == 0)
        return w->node = NODE_ROOT;
    for (size_t i = 0; i < TOP_FILES; i++) {
        if (strcmp(path + 1, top_files[i]) == 0) {
            w->which = (int)i;
            return w->node = NODE_TOP_FILE;
        }
    }
    w->pid = parse_pid(path, &rest);
    if (w->pid < 0)
        return -ENOENT;
    if (proc_info_get(w->pid, &info) < 0) {
        /* A thread's id names it too, unlisted, as on Linux. */
        int owner = proc_thread_owner(w->pid);
        if (owner < 0)
            return -ENOENT;
        w->tid = w->pid;
        w->pid = owner;
    }
    if (strncmp(rest, TASK_DIR, TASK_DIR_LEN) != 0 ||
        (rest[TASK_DIR_LEN] != '\0' && rest[TASK_DIR_LEN] != '/'))
        return classify_in(rest, w);
    rest += TASK_DIR_LEN;
    if (*rest == '\0' || strcmp(rest, "/") == 0)
        return w->node = NODE_TASK_DIR;
    w->tid = parse_pid(rest, &rest);
    if (w->tid < 0 || proc_thread_info_get(w->pid, w->tid, &info) < 0)
        return -ENOENT;
    return classify_in(rest, w);
}

/* ---- files ---- */

/* Copies up to n bytes of the snapshot from pos; returns how many. */
static size_t snap_copy(const struct snapshot *s, void *buf, size_t n,
                        uint64_t pos)
{
    size_t left = pos < s->len ? s->len - (size_t)pos : 0;
    size_t k = n < left ? n : left;
    memcpy(buf, s->text + (k ? pos : 0), k);
    return k;
}

static long snap_read(struct file *f, void *buf, size_t n)
{
    struct snapshot *s = f->priv;
    size_t k = snap_copy(s, buf, n, s->pos);
    s->pos += k;
    return (long)k;
}

static long snap_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    return (long)snap_copy(f->priv, buf, n, off);
}

static int64_t snap_lseek(struct file *f, int64_t off, int whence)
{
    struct snapshot *s = f->priv;
    int64_t base = whence == SEEK_SET   ? 0
                   : whence == SEEK_CUR ? (int64_t)s->pos
                                        : (int64_t)s->len;
    if (base + off < 0)
        return -EINVAL;
    s->pos = (size_t)(base + off);
    return (int64_t)s->pos;
}

static void node_stat(const char *path, bool dir, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = PROCFS_DEV;
    st->st_ino = vfs_ino(path);
    st->st_nlink = dir ? 2 : 1;
    st->st_mode =
        dir ? (S_IFDIR | PROCFS_DIR_MODE) : (S_IFREG | PROCFS_FILE_MODE);
    st->st_blksize = PROCFS_TEXT_MAX;
}

static int snap_stat(struct file *f, struct stat *st)
{
    (void)f;
    node_stat("/", false, st);
    st->st_ino = (uint64_t)(uintptr_t)f->priv >> 4;
    return 0;
}

static void free_priv(struct file *f)
{
    kfree(f->priv);
}

static const struct file_ops snap_ops = {
    .read = snap_read,
    .pread = snap_pread,
    .lseek = snap_lseek,
    .stat = snap_stat,
    .release = free_priv,
};

/* /proc/mounts, cut at cap as the other texts are. */
static size_t mounts_text(char *buf, size_t cap)
{
    size_t n = vfs_mounts_text(buf, cap);
    return n < cap ? n : cap;
}

static int open_file(const struct where *w, int flags, struct file **out)
{
    struct proc_info *info = NULL;
    int which = w->which;
    bool klog = w->node == NODE_TOP_FILE && which == PROCFS_KLOG;
    size_t cap = klog ? LOG_RING_SIZE : PROC_CMDLINE_MAX + PROCFS_TEXT_MAX;
    struct snapshot *s = kmalloc(sizeof *s + cap);
    int err = -ENOMEM;
    if (s == NULL)
        goto out;
    *s = (struct snapshot){0};
    if (w->node == NODE_TOP_FILE) {
        s->len = which == 0               ? procfs_text_meminfo(s->text, cap)
                 : which == 1             ? procfs_text_uptime(s->text, cap)
                 : klog                   ? log_recent(s->text, cap)
                 : which == PROCFS_MOUNTS ? mounts_text(s->text, cap)
                                          : procfs_text_ember(s->text, cap);
    } else {
        info = kmalloc(sizeof *info);
        if (info == NULL)
            goto out;
        err = w->tid ? proc_thread_info_get(w->pid, w->tid, info)
                     : proc_info_get(w->pid, info);
        if (err < 0)
            goto out;
        if (which == 0) {
            s->len = procfs_text_stat(info, s->text, cap);
        } else if (which == PID_STATUS) {
            s->len = procfs_text_status(info, s->text, cap);
        } else if (which == PID_MOUNTS) {
            s->len = mounts_text(s->text, cap); /* one namespace */
        } else if (which == PID_COMM) {
            s->len = (size_t)ksnprintf(s->text, cap, "%s\n", info->name);
        } else {
            s->len = info->cmdline_len;
            memcpy(s->text, info->cmdline, s->len);
        }
    }
    *out = file_new(&snap_ops, flags, s);
    err = *out ? 0 : -ENOMEM;
out:
    kfree(info);
    if (err < 0)
        kfree(s);
    return err;
}

/* ---- /proc/sys/vm/drop_caches ---- */

#define DROP_CACHES_PATH "/sys/vm/drop_caches"
#define DROP_CACHES_MODE 0200

/* "1" or "3" (page cache, and slab too) drops; "2" (slab alone) is a no-op. */
static long drop_write(struct file *f, const void *buf, size_t n)
{
    const char *s = buf;
    (void)f;
    if (n == 0 || s[0] < '1' || s[0] > '3' ||
        (n > 1 && s[1] != '\n' && s[1] != '\0'))
        return -EINVAL;
    if (s[0] != '2') {
        uint64_t pages = storage_drop_caches();
        klog(LOG_DEBUG, "procfs: drop_caches dropped %lu pages",
             (unsigned long)pages);
    }
    return (long)n;
}

static int drop_stat(struct file *f, struct stat *st)
{
    (void)f;
    node_stat(DROP_CACHES_PATH, false, st);
    st->st_mode = S_IFREG | DROP_CACHES_MODE;
    return 0;
}

static const struct file_ops drop_ops = {
    .write = drop_write,
    .stat = drop_stat,
};

static int open_drop_caches(int flags, struct file **out)
{
    if ((flags & O_ACCMODE) == O_RDONLY)
        return -EACCES; /* Linux's file is write-only too */
    if ((flags & O_DIRECTORY))
        return -ENOTDIR;
    *out = file_new(&drop_ops, flags, NULL);
    return *out ? 0 : -ENOMEM;
}

/* ---- directories ---- */

/* The i-th entry of a listing: name and type. */
static void entry(const void *dir, unsigned i_, char *name, size_t cap,
                  uint8_t *type)
{
    const struct listing *l = dir;
    int i = (int)i_;
    *type = DT_DIR;
    if (i < 2) {
        ksnprintf(name, cap, "%s", i == 0 ? "." : "..");
        return;
    }
    i -= 2;
    const char *const *files = l->pid ? pid_files : top_files;
    int nfiles = l->task ? 0 : (int)(l->pid ? PID_FILES : TOP_FILES);
    if (i < nfiles) {
        ksnprintf(name, cap, "%s", files[i]);
        *type = DT_REG;
        return;
    }
    if (l->pid && !l->task) {
        ksnprintf(name, cap, "%s", TASK_DIR); /* only <pid>/ has one */
        return;
    }
    ksnprintf(name, cap, "%d", l->pids[i - nfiles]);
}

static long dir_getdents(struct file *f, void *buf, size_t n)
{
    struct listing *l = f->priv;
    return dirent_fill(buf, n, l, l->count, &l->next, entry);
}

static int64_t dir_lseek(struct file *f, int64_t off, int whence)
{
    struct listing *l = f->priv;
    int err = dirent_check_rewind(off, whence);
    if (err == 0)
        l->next = 0;
    return err;
}

static int dir_stat(struct file *f, struct stat *st)
{
    struct listing *l = f->priv;
    node_stat("/", true, st);
    st->st_ino = vfs_ino("/") + (uint64_t)(l->tid ? l->tid : l->pid) +
                 (l->task ? PROCFS_PIDS_MAX : 0);
    return 0;
}

static const struct file_ops dir_ops = {
    .read = dirent_read_dir,
    .lseek = dir_lseek,
    .stat = dir_stat,
    .getdents = dir_getdents,
    .release = free_priv,
};

/* The ids a listing holds: processes for /proc, threads for task/. */
static int list_ids(const struct where *w, int *ids)
{
    if (w->node == NODE_TASK_DIR) {
        int n = proc_thread_ids(w->pid, ids, THREAD_MAX);
        if (n < 0)
            return -ENOENT; /* it ended since classify() */
        return n < THREAD_MAX ? n : THREAD_MAX;
    }
    if (w->node != NODE_ROOT)
        return 0;
    struct proc_info *infos = kmalloc(sizeof *infos * PROCFS_PIDS_MAX);
    if (infos == NULL)
        return -ENOMEM;
    int n = proc_list(infos, PROCFS_PIDS_MAX);
    if (n > PROCFS_PIDS_MAX)
        n = PROCFS_PIDS_MAX;
    for (int i = 0; i < n; i++)
        ids[i] = infos[i].pid;
    kfree(infos);
    return n;
}

static int open_dir(const struct where *w, int flags, struct file **out)
{
    size_t max = w->node == NODE_TASK_DIR ? THREAD_MAX
                 : w->node == NODE_ROOT   ? PROCFS_PIDS_MAX
                                          : 0;
    struct listing *l = kmalloc(sizeof *l + sizeof(int) * max);
    if (l == NULL)
        return -ENOMEM;
    int n = list_ids(w, l->pids);
    if (n < 0) {
        kfree(l);
        return n;
    }
    l->pid = w->pid;
    l->tid = w->tid;
    l->task = w->node == NODE_TASK_DIR;
    l->next = 0;
    l->count = 2 + (unsigned)n;
    if (w->node == NODE_ROOT)
        l->count += TOP_FILES;
    else if (w->node == NODE_PID_DIR)
        l->count += PID_FILES + (w->tid ? 0 : 1); /* and task/ */
    *out = file_new(&dir_ops, flags, l);
    if (*out == NULL) {
        kfree(l);
        return -ENOMEM;
    }
    return 0;
}

static bool is_dir(int node)
{
    return node == NODE_ROOT || node == NODE_PID_DIR || node == NODE_TASK_DIR;
}

static int procfs_open(const struct vfs_fs *fs, const char *path, int flags,
                       uint32_t mode, struct file **out)
{
    (void)fs;
    (void)mode; /* no permission bits to keep */
    struct where w;
    if (strcmp(path, DROP_CACHES_PATH) == 0)
        return open_drop_caches(flags, out);
    int node = classify(path, &w);
    if (node < 0)
        return (flags & O_CREAT) ? -EROFS : node;
    bool dir = is_dir(node);
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return dir ? -EISDIR : -EROFS;
    if ((flags & O_DIRECTORY) && !dir)
        return -ENOTDIR;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (dir)
        return open_dir(&w, flags, out);
    return open_file(&w, flags, out);
}

static int procfs_stat(const struct vfs_fs *fs, const char *path,
                       struct stat *st)
{
    (void)fs;
    struct where w;
    if (strcmp(path, DROP_CACHES_PATH) == 0)
        return drop_stat(NULL, st);
    int node = classify(path, &w);
    if (node < 0)
        return node;
    node_stat(path, is_dir(node), st);
    return 0;
}

#define SELF_TEXT_MAX 12 /* a pid in decimal, and its NUL */

/* The two kinds of link: /self, and /<pid>/exe. */
static int procfs_readlink(const struct vfs_fs *fs, const char *path, char *buf,
                           size_t size)
{
    (void)fs;
    struct process *me = proc_current();
    if (strcmp(path, "/self") == 0) {
        if (me == NULL)
            return -ENOENT; /* a kernel thread has no /proc entry */
        char text[SELF_TEXT_MAX];
        int n = ksnprintf(text, sizeof text, "%d", me->pid);
        if ((size_t)n > size)
            return -ENAMETOOLONG;
        memcpy(buf, text, (size_t)n);
        return n;
    }
    const char *rest;
    int pid = parse_pid(path, &rest);
    if (pid < 0)
        return -ENOENT;
    if (strcmp(rest, "exe") != 0)
        return -EINVAL;
    int owner = proc_thread_owner(pid); /* pid may be a thread's id */
    proc_lock(); /* exec and exit change p->exe under it */
    struct process *p = proc_find(owner > 0 ? owner : pid);
    struct vfs_node *exe = p ? vfs_node_get(p->exe) : NULL;
    proc_unlock();
    if (exe == NULL)
        return -ENOENT;
    int n = exe->len <= size ? (int)exe->len : -ENAMETOOLONG;
    if (n > 0)
        memcpy(buf, exe->path, exe->len);
    vfs_node_put(exe);
    return n;
}

const struct vfs_fs procfs_fs = {
    .name = "proc",
    .magic = PROCFS_MAGIC,
    .open = procfs_open,
    .stat = procfs_stat,
    .readlink = procfs_readlink,
};
