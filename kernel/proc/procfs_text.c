/*
 * The texts of /proc's files, in the formats proc(5) gives and ps, top,
 * free and uptime read: meminfo, uptime, Ember's own figures, and a
 * process's or a thread's stat and status.
 *
 * Each is made from a snapshot (the memory counters, or a struct
 * proc_info taken under proc_lock) into a buffer of cap bytes, and cut
 * there; what Ember does not keep is 0. Times in stat are in clock ticks
 * of 1/100 s, since musl fixes sysconf(_SC_CLK_TCK) at 100; Ember's ticks
 * are 1 ms, so they are divided by 10.
 *
 * Locking: none here; the snapshots take their own.
 * Context: task.
 * See: docs/storage.md, docs/threads.md
 */
#include "proc/procfs_text.h"

#include "arch/x86_64/tsc.h"
#include "drivers/ata.h"
#include "fs/storage.h"
#include "fs/tty.h"
#include "lib/format.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "sched/sched.h"
#include "sched/task.h"

#define TICKS_PER_CLK  (SCHED_HZ / 100) /* 1 ms ticks per 1/100 s */
#define MS_PER_CLK     10               /* ms per 1/100 s */
#define KIB            1024
#define CONSOLE_TTY_NR ((5 << 8) | 1) /* /dev/console: major 5, minor 1 */
#define PROCFS_FDS_MAX 64             /* FDSize: the descriptor table's */

size_t procfs_text_meminfo(char *buf, size_t cap)
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

size_t procfs_text_uptime(char *buf, size_t cap)
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
 * allocated or freed for each kind of operation (storage_max_hold_bytes,
 * above, is the most data in all).
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

size_t procfs_text_ember(char *buf, size_t cap)
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

/* proc(5)'s 52 fields; what Ember does not track is 0. Field 20 is the
 * process's thread count. */
size_t procfs_text_stat(const struct proc_info *p, char *buf, size_t cap)
{
    int n = ksnprintf(
        buf, cap,
        "%d (%s) %c %d %d %d %d %d 0 0 0 0 0 %lu 0 0 0 %d %d %d 0 %lu %lu %lu",
        p->tid, p->name, p->state, p->ppid, p->pgid, p->sid, CONSOLE_TTY_NR,
        tty_foreground(), (unsigned long)(p->cpu_ticks / TICKS_PER_CLK),
        20 + p->nice, p->nice, p->nthreads,
        (unsigned long)(p->start_ticks / TICKS_PER_CLK),
        (unsigned long)p->vm_bytes, (unsigned long)p->rss_pages);
    /* Fields 25-52: rsslim onwards. */
    for (int field = 25; field <= 52 && (size_t)n < cap; field++)
        n += ksnprintf(buf + n, cap - (size_t)n, " 0");
    if ((size_t)n + 1 < cap)
        buf[n++] = '\n';
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The long name of a state letter, as status shows it. */
static const char *state_name(char state)
{
    switch (state) {
    case 'R':
        return "R (running)";
    case 'T':
        return "T (stopped)";
    case 'Z':
        return "Z (zombie)";
    default:
        return "S (sleeping)";
    }
}

size_t procfs_text_status(const struct proc_info *p, char *buf, size_t cap)
{
    int n =
        ksnprintf(buf, cap,
                  "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\n"
                  "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\n"
                  "Gid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t0\n"
                  "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nThreads:\t%d\n"
                  "SigQ:\t0/0\nSigPnd:\t%016lx\nShdPnd:\t%016lx\n"
                  "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
                  p->name, state_name(p->state), p->pid, p->tid, p->ppid,
                  PROCFS_FDS_MAX, (unsigned long)(p->vm_bytes / KIB),
                  (unsigned long)(p->rss_pages * PMM_FRAME_SIZE / KIB),
                  p->nthreads, (unsigned long)p->sig_pending,
                  (unsigned long)p->sig_shared, (unsigned long)p->sig_blocked,
                  (unsigned long)p->sig_ignored, (unsigned long)p->sig_caught);
    return (size_t)n < cap ? (size_t)n : cap - 1;
}
