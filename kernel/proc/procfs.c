/*
 * /proc: meminfo, uptime, Ember's own figures, and one directory per
 * process with stat and cmdline, in the formats ps, free and uptime read.
 *
 * Each file is a snapshot: its text is made when it is opened, and reads
 * and seeks walk that copy, so a program reading in small pieces sees one
 * consistent state (Linux regenerates per read; for these small files a
 * snapshot is simpler and equivalent). Times in /proc/<pid>/stat are in
 * clock ticks of 1/100 s, since musl fixes sysconf(_SC_CLK_TCK) at 100;
 * Ember's ticks are 1 ms, so they are divided by 10.
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
 *   /proc/<pid>/cmdline  argv, each NUL-terminated
 *   /proc/<pid>/comm  the name stat shows, and a newline (pidof, ps -o comm)
 *   /proc/<pid>/exe   a link to the program the process runs
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

#include "arch/x86_64/tsc.h"
#include "drivers/ata.h"
#include "fs/dirent.h"
#include "fs/file.h"
#include "fs/storage.h"
#include "fs/tty.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "mm/pmm.h"
#include "proc/procinfo.h"
#include "sched/sched.h"
#include "sched/task.h"

#define PROCFS_DEV       0x0004
#define PROCFS_FILE_MODE 0444
#define PROCFS_DIR_MODE  0555
#define PROCFS_MAGIC     0x9fa0 /* statfs f_type, <linux/magic.h> */
#define PROCFS_TEXT_MAX  2048   /* the longest file made here, cmdline aside */
#define PROCFS_PIDS_MAX  256    /* processes listed in one readdir */
#define TICKS_PER_CLK    (SCHED_HZ / 100) /* 1 ms ticks per 1/100 s */
#define MS_PER_CLK       10               /* ms per 1/100 s */
#define KIB              1024
#define CONSOLE_TTY_NR   ((5 << 8) | 1) /* /dev/console: major 5, minor 1 */
#define PROCFS_KLOG      3              /* top_files[3] */
#define PROCFS_MOUNTS    4              /* top_files[4] */
#define PID_MOUNTS       2              /* pid_files[2]: the same table */
#define PID_COMM         3              /* pid_files[3]: the name */

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
    int pid; /* 0 for /proc itself */
    int pids[];
};

static const char *const top_files[] = {"meminfo", "uptime", "ember", "klog",
                                        "mounts"};
static const char *const pid_files[] = {"stat", "cmdline", "mounts", "comm"};
#define TOP_FILES (sizeof top_files / sizeof top_files[0])
#define PID_FILES (sizeof pid_files / sizeof pid_files[0])

/* ---- the texts ---- */

static size_t make_meminfo(char *buf, size_t cap)
{
    struct pmm_stats pm;
    struct storage_stats ss;
    pmm_get_stats(&pm);
    storage_get_stats(&ss);
    uint64_t total = pm.total_frames * PMM_FRAME_SIZE / KIB;
    uint64_t free = pm.free_frames * PMM_FRAME_SIZE / KIB;
    uint64_t cached = ss.cache.pages * PMM_FRAME_SIZE / KIB;
    uint64_t clean =
        (ss.cache.pages - ss.cache.dirty_pages) * PMM_FRAME_SIZE / KIB;
    return (size_t)ksnprintf(
        buf, cap,
        "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n"
        "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n"
        "%-16s%8lu kB\n",
        "MemTotal:", (unsigned long)total, "MemFree:", (unsigned long)free,
        "MemAvailable:", (unsigned long)(free + clean), "Buffers:", 0ul,
        "Cached:", (unsigned long)cached, "SwapTotal:", 0ul, "SwapFree:", 0ul);
}

static size_t make_uptime(char *buf, size_t cap)
{
    uint64_t up = tsc_ms_since_entry() / MS_PER_CLK; /* the clock, not ticks */
    uint64_t idle = sched_idle_task()->cpu_ticks / TICKS_PER_CLK;
    return (size_t)ksnprintf(
        buf, cap, "%lu.%02lu %lu.%02lu\n", (unsigned long)(up / 100),
        (unsigned long)(up % 100), (unsigned long)(idle / 100),
        (unsigned long)(idle % 100));
}

/*
 * The volume lock's holds (fs/storage.h): how many, the most clusters one
 * allocated or freed, and the most file data one moved and clusters one
 * allocated or freed for each kind of operation (storage_max_hold_bytes, above,
 * is the most data in all).
 */
static size_t append_holds(const struct storage_stats *ss, char *buf,
                           size_t cap, size_t n)
{
    if (n < cap)
        n += (size_t)ksnprintf(buf + n, cap - n,
                               "storage_holds %lu\n"
                               "storage_max_hold_clusters %lu\n",
                               (unsigned long)ss->holds,
                               (unsigned long)ss->max_hold_clusters);
    for (int op = 0; op < STORAGE_OP_COUNT && n < cap; op++)
        n += (size_t)ksnprintf(
            buf + n, cap - n,
            "storage_max_hold_bytes_%s %lu\n"
            "storage_max_hold_clusters_%s %lu\n",
            storage_op_name(op), (unsigned long)ss->op_max_bytes[op],
            storage_op_name(op), (unsigned long)ss->op_max_clusters[op]);
    return n < cap ? n : cap - 1;
}

static size_t make_ember(char *buf, size_t cap)
{
    struct pmm_stats pm;
    struct heap_stats hs;
    struct ata_stats at;
    struct storage_stats ss;
    pmm_get_stats(&pm);
    kheap_get_stats(&hs);
    ata_get_stats(&at);
    storage_get_stats(&ss);
    const struct fat_cache_stats *c = &ss.cache;
    size_t n = (size_t)ksnprintf(
        buf, cap,
        "frames_total %lu\nframes_used %lu\nframes_free %lu\n"
        "heap_size_bytes %lu\nheap_used_bytes %lu\nheap_blocks %lu\n"
        "tasks %d\nata_dma_cmds %lu\nata_pio_cmds %lu\n"
        "ata_dma_failures %lu\nata_sectors_read %lu\n"
        "ata_sectors_written %lu\npcache_pages %lu\npcache_dirty %lu\n"
        "pcache_hits %lu\npcache_misses %lu\npcache_pages_read %lu\n"
        "pcache_pages_written %lu\npcache_reclaimed %lu\n"
        "pcache_reclaim_calls %lu\nstorage_max_hold_bytes %lu\n",
        (unsigned long)pm.total_frames, (unsigned long)pm.used_frames,
        (unsigned long)pm.free_frames, (unsigned long)hs.size_bytes,
        (unsigned long)hs.used_bytes, (unsigned long)hs.blocks_in_use,
        task_list(NULL, 0), (unsigned long)at.dma_cmds,
        (unsigned long)at.pio_cmds, (unsigned long)at.dma_failures,
        (unsigned long)at.sectors_read, (unsigned long)at.sectors_written,
        (unsigned long)c->pages, (unsigned long)c->dirty_pages,
        (unsigned long)c->hits, (unsigned long)c->misses,
        (unsigned long)c->pages_read, (unsigned long)c->pages_written,
        (unsigned long)c->reclaimed, (unsigned long)ss.reclaim_calls,
        (unsigned long)ss.max_hold_bytes);
    return append_holds(&ss, buf, cap, n);
}

/* proc(5)'s 52 fields; what Ember does not track is 0. */
static size_t make_stat(const struct proc_info *p, char *buf, size_t cap)
{
    int n = ksnprintf(
        buf, cap,
        "%d (%s) %c %d %d %d %d %d 0 0 0 0 0 %lu 0 0 0 %d %d 1 0 %lu %lu %lu",
        p->pid, p->name, p->state, p->ppid, p->pgid, p->sid, CONSOLE_TTY_NR,
        tty_foreground(), (unsigned long)(p->cpu_ticks / TICKS_PER_CLK),
        20 + p->nice, p->nice, (unsigned long)(p->start_ticks / TICKS_PER_CLK),
        (unsigned long)p->vm_bytes, (unsigned long)p->rss_pages);
    /* Fields 25-52: rsslim onwards. */
    for (int field = 25; field <= 52 && (size_t)n < cap; field++)
        n += ksnprintf(buf + n, cap - (size_t)n, " 0");
    if ((size_t)n + 1 < cap)
        buf[n++] = '\n';
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

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

enum node { NODE_ROOT, NODE_TOP_FILE, NODE_PID_DIR, NODE_PID_FILE };

/* What path names: a node, and which file or pid. -ENOENT if nothing. */
static int classify(const char *path, int *pid, int *which)
{
    const char *rest;
    if (strcmp(path, "/") == 0)
        return NODE_ROOT;
    for (size_t i = 0; i < TOP_FILES; i++) {
        if (strcmp(path + 1, top_files[i]) == 0) {
            *which = (int)i;
            return NODE_TOP_FILE;
        }
    }
    *pid = parse_pid(path, &rest);
    struct proc_info info;
    if (*pid < 0 || proc_info_get(*pid, &info) < 0)
        return -ENOENT;
    if (*rest == '\0')
        return NODE_PID_DIR;
    for (size_t i = 0; i < PID_FILES; i++) {
        if (strcmp(rest, pid_files[i]) == 0) {
            *which = (int)i;
            return NODE_PID_FILE;
        }
    }
    return -ENOENT;
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

static int open_file(int node, int pid, int which, int flags, struct file **out)
{
    struct proc_info *info = NULL;
    bool klog = node == NODE_TOP_FILE && which == PROCFS_KLOG;
    size_t cap = klog ? LOG_RING_SIZE : PROC_CMDLINE_MAX + PROCFS_TEXT_MAX;
    struct snapshot *s = kmalloc(sizeof *s + cap);
    int err = -ENOMEM;
    if (s == NULL)
        goto out;
    *s = (struct snapshot){0};
    if (node == NODE_TOP_FILE) {
        s->len = which == 0               ? make_meminfo(s->text, cap)
                 : which == 1             ? make_uptime(s->text, cap)
                 : klog                   ? log_recent(s->text, cap)
                 : which == PROCFS_MOUNTS ? mounts_text(s->text, cap)
                                          : make_ember(s->text, cap);
    } else {
        info = kmalloc(sizeof *info);
        if (info == NULL)
            goto out;
        err = proc_info_get(pid, info);
        if (err < 0)
            goto out;
        if (which == 0) {
            s->len = make_stat(info, s->text, cap);
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
    int nfiles = (int)(l->pid ? PID_FILES : TOP_FILES);
    if (i < nfiles) {
        ksnprintf(name, cap, "%s", files[i]);
        *type = DT_REG;
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
    st->st_ino = vfs_ino("/") + (uint64_t)l->pid;
    return 0;
}

static const struct file_ops dir_ops = {
    .read = dirent_read_dir,
    .lseek = dir_lseek,
    .stat = dir_stat,
    .getdents = dir_getdents,
    .release = free_priv,
};

static int open_dir(int pid, int flags, struct file **out)
{
    int npids = 0;
    struct proc_info *infos = NULL;
    if (pid == 0) {
        infos = kmalloc(sizeof *infos * PROCFS_PIDS_MAX);
        if (infos == NULL)
            return -ENOMEM;
        npids = proc_list(infos, PROCFS_PIDS_MAX);
        if (npids > PROCFS_PIDS_MAX)
            npids = PROCFS_PIDS_MAX;
    }
    struct listing *l = kmalloc(sizeof *l + sizeof(int) * (size_t)npids);
    if (l == NULL) {
        kfree(infos);
        return -ENOMEM;
    }
    l->pid = pid;
    l->next = 0;
    l->count = 2 + (unsigned)(pid ? PID_FILES : TOP_FILES) + (unsigned)npids;
    for (int i = 0; i < npids; i++)
        l->pids[i] = infos[i].pid;
    kfree(infos);
    *out = file_new(&dir_ops, flags, l);
    if (*out == NULL) {
        kfree(l);
        return -ENOMEM;
    }
    return 0;
}

static int procfs_open(const struct vfs_fs *fs, const char *path, int flags,
                       uint32_t mode, struct file **out)
{
    (void)fs;
    (void)mode; /* no permission bits to keep */
    int pid = 0, which = 0;
    if (strcmp(path, DROP_CACHES_PATH) == 0)
        return open_drop_caches(flags, out);
    int node = classify(path, &pid, &which);
    if (node < 0)
        return (flags & O_CREAT) ? -EROFS : node;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return (node == NODE_ROOT || node == NODE_PID_DIR) ? -EISDIR : -EROFS;
    bool dir = node == NODE_ROOT || node == NODE_PID_DIR;
    if ((flags & O_DIRECTORY) && !dir)
        return -ENOTDIR;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (dir)
        return open_dir(node == NODE_ROOT ? 0 : pid, flags, out);
    return open_file(node, pid, which, flags, out);
}

static int procfs_stat(const struct vfs_fs *fs, const char *path,
                       struct stat *st)
{
    (void)fs;
    int pid = 0, which = 0;
    if (strcmp(path, DROP_CACHES_PATH) == 0)
        return drop_stat(NULL, st);
    int node = classify(path, &pid, &which);
    if (node < 0)
        return node;
    node_stat(path, node == NODE_ROOT || node == NODE_PID_DIR, st);
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
    proc_lock(); /* exec and exit change p->exe under it */
    struct process *p = proc_find(pid);
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
