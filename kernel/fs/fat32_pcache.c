/*
 * File data through the page cache: FAT32's reads, writes, truncation and
 * writeback on top of the portable core (fs/pcache.h).
 *
 * A file's pages are named by its FIRST CLUSTER. That number survives a
 * rename or a move (they rewrite a directory entry, never the data), is
 * the same for every handle and for a later open, and is unique among
 * live files. It changes only when the chain is freed, and every freed
 * chain loses its pages first (fat_pc_forget(), called by
 * fat_free_chain()), so a cluster reused by another file never finds
 * stale pages. An empty file has no cluster and no pages: a write gives it
 * its clusters before its data reaches the cache.
 *
 * Reading: a page that is cached is copied out (or handed out whole,
 * fat_read_spans(), for the kernel to copy to the program after it
 * unlocks). A miss reads a whole run of pages with one pass of the
 * cluster-run I/O (fat_io_direct()): straight into the pages, when the
 * mount can give a run of them at consecutive addresses
 * (opts.page_alloc_run: in the kernel, contiguous frames the DMA engine
 * fills), or else into a bounce buffer, copying each page. The run is the
 * pages the request needs, or
 * more on a sequential stream, whose readahead window doubles from
 * FAT_PC_RA_MIN_PAGES up to FAT_PC_RA_MAX_PAGES (1 MiB, the bound of one
 * hold of the volume lock). The pages one call fills add up to at most
 * that window (or the request, if larger): a later miss in the same call
 * reads ahead only what the earlier fills left of it.
 *
 * Writing: the clusters are allocated and the size set at write time, as
 * before (so the FAT and the directory entry are always exact for
 * fsck.fat), but the data only lands in cached pages, marked dirty. A
 * page that the write covers only in part is read first. fat_sync()
 * writes every dirty page back before it writes the metadata; when dirty
 * pages pass a quarter of the cache (at most 16 MiB) a write first writes
 * FAT_PC_THROTTLE_BYTES back: FAT_HOLD_BYTES less room for a step of
 * FAT_STEP_BYTES written around the cache and its partial pages, so a
 * step stays within FAT_HOLD_BYTES (fat32.h). If no page can be had at all, the
 * data goes straight to the disk (the page is not cached, so nothing goes
 * stale).
 *
 * Writeback gathers runs of dirty pages with consecutive indexes
 * (pcache_writeback()'s writeback_run) and writes each with one pass of
 * the cluster-run I/O, through a cursor handle whose cached chain position
 * makes a file's runs cost one chain walk in all.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define FAT_PC_DEFAULT_PAGES   1024 /* 4 MiB when the mount does not say */
#define FAT_PC_RA_MIN_PAGES    4    /* a first or random read: 16 KiB */
#define FAT_PC_DIRTY_SHARE     4    /* at most 1/4 of the cache dirty, */
#define FAT_PC_DIRTY_MAX_PAGES 4096 /* and at most 16 MiB */
#define FAT_PC_THROTTLE_BYTES  (FAT_HOLD_BYTES - 2 * FAT_STEP_BYTES)

_Static_assert(FAT_PC_RA_MAX_PAGES <= PCACHE_RUN_MAX, "a run fits a bounce");

/* The mount's page allocator, or the heap's when it named none. */
static void *page_alloc(void *ctx)
{
    struct fat_volume *vol = ctx;
    if (vol->opts.page_alloc)
        return vol->opts.page_alloc(vol->opts.page_ctx);
    return kmalloc(PCACHE_PAGE);
}

static void page_free(void *ctx, void *page)
{
    struct fat_volume *vol = ctx;
    if (vol->opts.page_alloc)
        vol->opts.page_free(vol->opts.page_ctx, page);
    else
        kfree(page);
}

static bool page_busy(void *ctx, const void *page)
{
    struct fat_volume *vol = ctx;
    return vol->opts.page_busy && vol->opts.page_busy(vol->opts.page_ctx, page);
}

/* Moves len bytes at pos of the file whose first cluster is id. */
static int64_t id_io(struct fat_volume *vol, uint64_t id, uint64_t pos,
                     void *buf, size_t len, bool write)
{
    struct fat_file *cur = vol->pc_cursor;
    if (vol->pc_cursor_node.first_cluster != (uint32_t)id) {
        vol->pc_cursor_node.first_cluster = (uint32_t)id;
        vol->pc_cursor_node.gen++;
    }
    cur->vol = vol;
    cur->node = &vol->pc_cursor_node;
    return fat_io_direct(cur, pos, buf, len, write);
}

static int writeback_run(void *ctx, uint64_t id, struct pcache_page **pages,
                         uint32_t n)
{
    struct fat_volume *vol = ctx;
    for (uint32_t i = 0; i < n; i++) {
        KASSERT(pages[i]->index == pages[0]->index + i);
        memcpy(vol->pc_bounce + (size_t)i * PCACHE_PAGE, pages[i]->data,
               PCACHE_PAGE);
    }
    size_t len = (size_t)(n - 1) * PCACHE_PAGE + pages[n - 1]->valid;
    int64_t done = id_io(vol, id, pages[0]->index * PCACHE_PAGE, vol->pc_bounce,
                         len, true);
    if (done < 0)
        return (int)done;
    vol->pc_stats.pages_written += n;
    return done == (int64_t)len ? 0 : -EIO;
}

int fat_pc_init(struct fat_volume *vol)
{
    struct pcache_ops ops = {
        .writeback_run = writeback_run,
        .page_alloc = page_alloc,
        .page_free = page_free,
        .busy = page_busy,
        .ctx = vol,
    };
    uint64_t pages =
        vol->opts.cache_pages ? vol->opts.cache_pages : FAT_PC_DEFAULT_PAGES;
    vol->pc = kmalloc(sizeof *vol->pc);
    if (vol->pc == NULL)
        return -ENOMEM;
    pcache_init(vol->pc, &ops, pages);
    vol->pc_bounce = kmalloc(FAT_PC_RA_MAX_PAGES * PCACHE_PAGE);
    vol->pc_cursor = kmalloc(sizeof *vol->pc_cursor);
    if (vol->pc_bounce == NULL || vol->pc_cursor == NULL)
        return -ENOMEM;
    memset(vol->pc_cursor, 0, sizeof *vol->pc_cursor);
    vol->pc_dirty_max = pages / FAT_PC_DIRTY_SHARE;
    if (vol->pc_dirty_max > FAT_PC_DIRTY_MAX_PAGES)
        vol->pc_dirty_max = FAT_PC_DIRTY_MAX_PAGES;
    if (vol->pc_dirty_max == 0)
        vol->pc_dirty_max = 1;
    return 0;
}

void fat_pc_destroy(struct fat_volume *vol)
{
    if (vol->pc)
        pcache_destroy(vol->pc);
    kfree(vol->pc);
    kfree(vol->pc_bounce);
    kfree(vol->pc_cursor);
    vol->pc = NULL;
    vol->pc_bounce = NULL;
    vol->pc_cursor = NULL;
}

void fat_pc_forget(struct fat_volume *vol, uint32_t first_cluster)
{
    if (vol->pc == NULL || first_cluster == 0)
        return;
    pcache_drop_file(vol->pc, first_cluster, 0);
    vol->pc_cursor_node.gen++;
}

void fat_pc_truncate(struct fat_volume *vol, const struct fat_node *node,
                     uint64_t size)
{
    if (vol->pc == NULL || node->first_cluster == 0)
        return;
    uint64_t keep = (size + PCACHE_PAGE - 1) / PCACHE_PAGE;
    pcache_drop_file(vol->pc, node->first_cluster, keep);
    uint32_t tail = (uint32_t)(size % PCACHE_PAGE);
    struct pcache_page *p =
        tail ? pcache_peek(vol->pc, node->first_cluster, size / PCACHE_PAGE)
             : NULL;
    if (p && p->valid > tail) {
        memset(p->data + tail, 0, PCACHE_PAGE - tail);
        p->valid = tail;
    }
    vol->pc_cursor_node.gen++;
}

/* The part of a transfer at `at` (left bytes to go) in one page. */
static size_t piece(uint64_t at, size_t left, uint64_t *idx, uint32_t *off)
{
    *idx = at / PCACHE_PAGE;
    *off = (uint32_t)(at % PCACHE_PAGE);
    return PCACHE_PAGE - *off < left ? PCACHE_PAGE - *off : left;
}

/* Bytes of page idx that are file contents when the file is size long. */
static uint32_t valid_in(uint64_t size, uint64_t idx)
{
    uint64_t start = idx * PCACHE_PAGE;
    if (size <= start)
        return 0;
    return size - start >= PCACHE_PAGE ? PCACHE_PAGE : (uint32_t)(size - start);
}

/*
 * Caches pages from idx on that are not cached yet: at least up to
 * `last`, and `ahead` pages in all if the file goes that far, never past
 * the file's end or FAT_PC_RA_MAX_PAGES. Returns the pages cached (0 when
 * no memory: the caller reads around the cache) or the device's error.
 */
static int64_t fill_run(struct fat_file *f, uint64_t idx, uint64_t last,
                        uint64_t ahead)
{
    struct fat_volume *vol = f->vol;
    uint64_t id = f->node->first_cluster, size = f->node->size;
    uint64_t end_page = (size + PCACHE_PAGE - 1) / PCACHE_PAGE;
    uint64_t want = last - idx + 1 > ahead ? last - idx + 1 : ahead;
    if (want > FAT_PC_RA_MAX_PAGES)
        want = FAT_PC_RA_MAX_PAGES;
    if (want > end_page - idx)
        want = end_page - idx;
    uint64_t n = 1;
    while (n < want && !pcache_peek(vol->pc, id, idx + n))
        n++;
    uint64_t bytes = (n - 1) * PCACHE_PAGE + valid_in(size, idx + n - 1);
    uint64_t alloced = n;
    uint8_t *run = vol->opts.page_alloc_run
                       ? vol->opts.page_alloc_run(vol->opts.page_ctx, n)
                       : NULL;
    int64_t got = fat_io_direct(
        f, idx * PCACHE_PAGE, run ? run : vol->pc_bounce, (size_t)bytes, false);
    if (got < 0)
        n = 0;
    else if ((uint64_t)got != bytes) /* an error mid-way: the whole pages */
        n = (uint64_t)got / PCACHE_PAGE;
    uint64_t i = 0;
    for (; i < n; i++) {
        struct pcache_page *p;
        uint32_t valid = valid_in(size, idx + i);
        int err =
            run ? pcache_adopt(vol->pc, id, idx + i, run + i * PCACHE_PAGE,
                               valid, &p)
                : pcache_insert(vol->pc, id, idx + i,
                                vol->pc_bounce + i * PCACHE_PAGE, valid, &p);
        if (err < 0)
            break;
    }
    for (uint64_t j = i; run && j < alloced; j++) /* pages not adopted */
        page_free(vol, run + j * PCACHE_PAGE);
    vol->pc_stats.pages_read += i;
    if (got < 0)
        return got;
    if (i == 0)
        return -EIO; /* the caller reads around the cache for the error */
    return (int64_t)i;
}

/*
 * A read of the bytes at pos starts: a sequential one (it starts where the
 * last ended) doubles the handle's readahead window, any other resets it.
 */
static void ra_start(struct fat_file *f, uint64_t pos)
{
    if (pos / PCACHE_PAGE == f->ra_next && f->ra_pages > 0) {
        f->ra_pages *= 2;
        if (f->ra_pages > FAT_PC_RA_MAX_PAGES)
            f->ra_pages = FAT_PC_RA_MAX_PAGES;
    } else {
        f->ra_pages = FAT_PC_RA_MIN_PAGES;
    }
}

/*
 * The cached page idx of a read that needs pages up to `last`, filling it
 * (and its readahead) on a miss; *filled counts the pages this read filled
 * against its window. NULL when it cannot be cached.
 */
static struct pcache_page *read_page(struct fat_file *f, uint64_t idx,
                                     uint64_t last, uint64_t *filled)
{
    struct fat_volume *vol = f->vol;
    uint64_t id = f->node->first_cluster;
    struct pcache_page *p = pcache_lookup(vol->pc, id, idx);
    if (p)
        return p;
    uint64_t ahead = f->ra_pages;
    if (ahead > FAT_PC_RA_MAX_PAGES - *filled)
        ahead = FAT_PC_RA_MAX_PAGES - *filled;
    int64_t got = fill_run(f, idx, last, ahead);
    if (got <= 0)
        return NULL;
    *filled += (uint64_t)got;
    if (*filled > FAT_PC_RA_MAX_PAGES)
        *filled = FAT_PC_RA_MAX_PAGES;
    return pcache_peek(vol->pc, id, idx);
}

int64_t fat_read_spans(struct fat_file *f, uint64_t pos, size_t len,
                       struct fat_span *spans, unsigned max, unsigned *count)
{
    struct fat_node *node = f->node;
    *count = 0;
    if (node->attr & FAT_ATTR_DIRECTORY)
        return -EISDIR;
    if ((f->flags & FAT_O_ACCMODE) == FAT_O_WRONLY)
        return -EBADF;
    if (pos >= node->size || len == 0 || max == 0)
        return 0;
    if (len > node->size - pos)
        len = (size_t)(node->size - pos);
    ra_start(f, pos);
    uint64_t last = (pos + len - 1) / PCACHE_PAGE, filled = 0;
    size_t done = 0;
    while (done < len && *count < max) {
        uint64_t idx;
        uint32_t off;
        size_t n = piece(pos + done, len - done, &idx, &off);
        /* Only the first page may be filled: a fill may reclaim, and the
         * pages already handed out must stay. */
        struct pcache_page *p =
            *count == 0
                ? read_page(f, idx, last, &filled)
                : pcache_lookup(f->vol->pc, f->node->first_cluster, idx);
        if (p == NULL)
            break;
        spans[(*count)++] = (struct fat_span){p->data, off, (uint32_t)n};
        done += n;
    }
    if (done == 0)
        return -EIO; /* fat_read() reads around the cache for the error */
    f->ra_next = (pos + done) / PCACHE_PAGE;
    return (int64_t)done;
}

int64_t fat_pc_read(struct fat_file *f, uint64_t pos, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    ra_start(f, pos);
    uint64_t last = (pos + len - 1) / PCACHE_PAGE;
    size_t done = 0;
    int64_t err = 0;
    uint64_t filled = 0; /* pages this call read in, against the window */
    while (done < len) {
        uint64_t at = pos + done, idx;
        uint32_t off;
        size_t n = piece(at, len - done, &idx, &off);
        struct pcache_page *p = read_page(f, idx, last, &filled);
        if (p == NULL) {
            /* No memory for a page, or the device failed: read around the
             * cache, which returns the bytes before a failure, or its
             * error. */
            err = fat_io_direct(f, at, (uint8_t *)buf + done, n, false);
            if (err < 0)
                break;
            done += (size_t)err;
            if ((size_t)err < n)
                break;
            continue;
        } else {
            memcpy((uint8_t *)buf + done, p->data + off, n);
        }
        done += n;
    }
    f->ra_next = (pos + done) / PCACHE_PAGE;
    return done > 0 ? (int64_t)done : err;
}

/* Writes back 1 MiB when dirty pages have passed their share. */
static int throttle(struct fat_volume *vol)
{
    if (vol->pc->dirty_pages < vol->pc_dirty_max)
        return 0;
    int64_t n = pcache_writeback(vol->pc, 0, true, FAT_PC_THROTTLE_BYTES);
    return n < 0 ? (int)n : 0;
}

/* The cached page idx, read from the disk first unless the write at off
 * covers every byte of it that holds data (old_size: before the write). */
static int page_for_write(struct fat_file *f, uint64_t idx, uint32_t off,
                          size_t n, uint64_t old_size, struct pcache_page **out)
{
    struct fat_volume *vol = f->vol;
    uint64_t id = f->node->first_cluster;
    *out = pcache_lookup(vol->pc, id, idx);
    if (*out)
        return 0;
    uint32_t have = valid_in(old_size, idx);
    if (off == 0 && n >= have)
        return pcache_insert(vol->pc, id, idx, NULL, 0, out);
    int64_t got =
        fat_io_direct(f, idx * PCACHE_PAGE, vol->pc_bounce, have, false);
    if (got < 0)
        return (int)got;
    if (got != have)
        return -EIO;
    vol->pc_stats.pages_read++;
    return pcache_insert(vol->pc, id, idx, vol->pc_bounce, have, out);
}

int64_t fat_pc_write(struct fat_file *f, uint64_t pos, const void *buf,
                     size_t len)
{
    struct fat_volume *vol = f->vol;
    uint64_t old_size = f->node->size;
    size_t done = 0;
    int err = 0;
    while (done < len) {
        uint64_t at = pos + done, idx;
        uint32_t off;
        size_t n = piece(at, len - done, &idx, &off);
        err = throttle(vol);
        if (err < 0)
            break;
        struct pcache_page *p;
        err = page_for_write(f, idx, off, n, old_size, &p);
        if (err == -ENOMEM) { /* no page: write around the cache */
            int64_t w = fat_io_direct(f, at, (uint8_t *)buf + done, n, true);
            err = w < 0 ? (int)w : 0;
            if (err < 0)
                break;
            done += n;
            continue;
        }
        if (err < 0)
            break;
        memcpy(p->data + off, (const uint8_t *)buf + done, n);
        uint64_t end = at + n > old_size ? at + n : old_size;
        pcache_mark_dirty(vol->pc, p, valid_in(end, idx));
        done += n;
    }
    return done > 0 ? (int64_t)done : err;
}

static int page_of(struct fat_file *f, uint64_t index,
                   struct pcache_page **out);

int fat_page(struct fat_file *f, uint64_t index, void **data)
{
    struct pcache_page *p;
    int err = page_of(f, index, &p);
    if (err == 0)
        *data = p->data;
    return err;
}

int fat_page_writable(struct fat_file *f, uint64_t index, void **data)
{
    if ((f->flags & FAT_O_ACCMODE) != FAT_O_RDWR)
        return -EACCES;
    struct pcache_page *p;
    int err = page_of(f, index, &p);
    if (err == 0) {
        pcache_map_writable(f->vol->pc, p);
        *data = p->data;
    }
    return err;
}

uint64_t fat_redirty_mapped(struct fat_volume *vol)
{
    return pcache_redirty_mapped(vol->pc);
}

/* The cached page index of f, filled if need be (fat_page()'s errors). */
static int page_of(struct fat_file *f, uint64_t index, struct pcache_page **out)
{
    struct fat_volume *vol = f->vol;
    uint64_t id = f->node->first_cluster;
    if (f->node->attr & FAT_ATTR_DIRECTORY)
        return -EISDIR;
    if (index >= (f->node->size + PCACHE_PAGE - 1) / PCACHE_PAGE)
        return -ENXIO;
    struct pcache_page *p = pcache_lookup(vol->pc, id, index);
    if (p == NULL) {
        /* exec and mmap map every page of the range at once: read up to
         * 1 MiB ahead in one command, not 16 KiB (a 400 KiB shell took 26
         * device commands to exec cold). */
        int64_t n = fill_run(f, index, index, FAT_PC_RA_MAX_PAGES);
        if (n < 0)
            return (int)n;
        p = pcache_peek(vol->pc, id, index);
        if (p == NULL)
            return -ENOMEM;
    }
    *out = p;
    return 0;
}

int64_t fat_pc_writeback(struct fat_volume *vol, uint64_t max_bytes)
{
    return pcache_writeback(vol->pc, 0, true, max_bytes);
}

int64_t fat_writeback(struct fat_volume *vol, uint64_t max_bytes)
{
    return fat_pc_writeback(vol, max_bytes);
}

uint64_t fat_drop_dirty(struct fat_volume *vol)
{
    if (vol->error == 0)
        return 0; /* writable: dirty pages will be written */
    vol->pc_cursor_node.gen++;
    return pcache_drop_dirty(vol->pc);
}

uint64_t fat_drop_clean(struct fat_volume *vol)
{
    return pcache_drop_clean(vol->pc);
}

uint64_t fat_reclaim(struct fat_volume *vol, uint64_t pages)
{
    return pcache_reclaim(vol->pc, pages);
}

void fat_cache_stats(struct fat_volume *vol, struct fat_cache_stats *out)
{
    out->pages = vol->pc->pages;
    out->dirty_pages = vol->pc->dirty_pages;
    out->hits = vol->pc->stats.hits;
    out->misses = vol->pc->stats.misses;
    out->reclaimed = vol->pc->stats.reclaimed;
    out->pages_read = vol->pc_stats.pages_read;
    out->pages_written = vol->pc_stats.pages_written;
    out->data_bytes = vol->data_bytes;
    out->clusters_allocated = vol->clusters_allocated;
}
