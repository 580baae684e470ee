/*
 * Shared helpers of the FAT32 host tests: image files, mtools, fsck.fat.
 *
 * tests/tests.mk links each test_*.c alone with the portable objects, so
 * the helpers live here as static inline functions (inline only so that a
 * test which does not use one gets no unused-function warning). They give:
 *   - a struct blockdev over an image file (pread/pwrite), counting calls,
 *     so a test can prove a read became few multi-sector commands;
 *   - images made by /usr/sbin/mkfs.fat, whole-disk or MBR-partitioned as
 *     tools/mkdisk.sh makes the real disk, sparse under a scratch folder;
 *   - mtools and fsck.fat run through the shell (MTOOLS_SKIP_CHECK=1);
 *   - a parser for `mdir` listings, to compare them with fat_readdir().
 * Scratch files go to $TMPDIR (or /tmp)/ember-fat-<test>-<pid>, removed at
 * the end unless a test failed.
 *
 * Portable: host only (POSIX I/O, the C library, mtools and dosfstools).
 * See: docs/storage.md, tests/host/README.md
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/blockdev.h"
#include "fs/fat32.h"
#include "fs/mbr.h"

#define HOST_SECTOR     512
#define HOST_PART_START 2048 /* sectors: 1 MiB, as tools/mkdisk.sh */
#define HOST_CMD_MAX    4096

/* ---- a block device over an image file ---- */

struct host_disk {
    struct blockdev bd;
    int fd;
    uint64_t reads, read_sectors; /* calls and sectors, for speed checks */
    uint64_t writes, write_sectors;
    uint64_t fail_after_writes; /* nonzero: writes beyond this many fail */
};

static inline int host_disk_read(struct blockdev *bd, uint64_t lba, uint32_t n,
                                 void *buf)
{
    struct host_disk *d = bd->priv;
    size_t len = (size_t)n * bd->sector_size;
    d->reads++;
    d->read_sectors += n;
    ssize_t r = pread(d->fd, buf, len, (off_t)(lba * bd->sector_size));
    return r == (ssize_t)len ? 0 : -EIO;
}

static inline int host_disk_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                                  const void *buf)
{
    struct host_disk *d = bd->priv;
    size_t len = (size_t)n * bd->sector_size;
    if (d->fail_after_writes && d->writes >= d->fail_after_writes)
        return -EIO;
    d->writes++;
    d->write_sectors += n;
    ssize_t r = pwrite(d->fd, buf, len, (off_t)(lba * bd->sector_size));
    return r == (ssize_t)len ? 0 : -EIO;
}

static inline int host_disk_open(struct host_disk *d, const char *path)
{
    memset(d, 0, sizeof *d);
    d->fd = open(path, O_RDWR);
    if (d->fd < 0)
        return -errno;
    struct stat st;
    fstat(d->fd, &st);
    d->bd.sector_size = HOST_SECTOR;
    d->bd.sectors = (uint64_t)st.st_size / HOST_SECTOR;
    d->bd.read = host_disk_read;
    d->bd.write = host_disk_write;
    d->bd.flush = NULL;
    d->bd.priv = d;
    return 0;
}

static inline void host_disk_close(struct host_disk *d)
{
    close(d->fd);
    d->fd = -1;
}

/* ---- running tools ---- */

static char host_scratch[512];

static inline void host_rm_scratch(void)
{
    char cmd[HOST_CMD_MAX];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", host_scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", host_scratch);
}

/* Make the scratch folder and set up the tools' environment. */
static inline const char *host_init(const char *test)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(host_scratch, sizeof host_scratch, "%s/ember-fat-%s-%d",
             tmp ? tmp : "/tmp", test, (int)getpid());
    mkdir(host_scratch, 0755);
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    setenv("MTOOLS_NO_VFAT", "0", 1);
    unsetenv("MTOOLSRC");
    return host_scratch;
}

/* End of main(): keep the scratch folder only when something failed. */
static inline int host_finish(int failed)
{
    if (failed)
        fprintf(stderr, "scratch files kept in %s\n", host_scratch);
    else
        host_rm_scratch();
    return failed;
}

/* A scratch file's path; each call returns a new static buffer slot. */
static inline const char *host_path(const char *name)
{
    static char bufs[8][600];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", host_scratch, name);
    return b;
}

/* Run a shell command; returns its exit status (0 = success). */
static inline int host_sh(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static inline int host_sh(const char *fmt, ...)
{
    char cmd[HOST_CMD_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st != 0)
        fprintf(stderr, "command failed (%d): %s\n", st, cmd);
    return st;
}

/* Run a command and return its whole stdout (malloc'd, NUL-terminated). */
static inline char *host_sh_out(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static inline char *host_sh_out(const char *fmt, ...)
{
    char cmd[HOST_CMD_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    size_t n;
    while (p && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            out = realloc(out, cap);
        }
    }
    out[len] = '\0';
    if (p)
        pclose(p);
    return out;
}

/* ---- images ---- */

/*
 * A whole-disk FAT32 image of size_mib MiB with spc sectors per cluster.
 * extra: more mkfs.fat options ("" for none).
 */
static inline int host_mkfs(const char *img, unsigned size_mib, unsigned spc,
                            const char *extra)
{
    return host_sh("rm -f '%s' && truncate -s %uM '%s' && "
                   "/usr/sbin/mkfs.fat -F 32 -S 512 -s %u -i 454d4252 %s "
                   "'%s' >/dev/null",
                   img, size_mib, img, spc, extra, img);
}

/* An MBR disk with one FAT32 partition at 1 MiB, as tools/mkdisk.sh. */
static inline int host_mkdisk(const char *img, unsigned size_mib, unsigned spc)
{
    unsigned total = size_mib * 2048, part = total - HOST_PART_START;
    return host_sh("rm -f '%s' && truncate -s %uM '%s' && "
                   "printf 'label: dos\\nstart=%u, size=%u, type=c\\n' | "
                   "/usr/sbin/sfdisk --quiet '%s' && "
                   "/usr/sbin/mkfs.fat -F 32 -S 512 -s %u -i 454d4252 "
                   "--offset %u -h %u '%s' %u >/dev/null",
                   img, size_mib, img, HOST_PART_START, part, img, spc,
                   HOST_PART_START, HOST_PART_START, img, part / 2);
}

/* The mtools image argument: "img" or "img@@offset" for a partition. */
static inline const char *host_mimg(const char *img, bool partitioned)
{
    static char bufs[4][700];
    static int next;
    char *b = bufs[next++ % 4];
    if (partitioned)
        snprintf(b, sizeof bufs[0], "%s@@%u", img,
                 HOST_PART_START * HOST_SECTOR);
    else
        snprintf(b, sizeof bufs[0], "%s", img);
    return b;
}

/* True if `fsck.fat -n` finds nothing to fix (the partition copied out). */
static inline bool host_fsck_clean(const char *img, bool partitioned)
{
    const char *target = img;
    if (partitioned) {
        target = host_path("fsck-part.img");
        if (host_sh("dd if='%s' of='%s' bs=1M skip=1 conv=sparse "
                    "status=none",
                    img, target) != 0)
            return false;
    }
    char *out =
        host_sh_out("/usr/sbin/fsck.fat -n '%s' 2>&1; echo rc=$?", target);
    bool ok = strstr(out, "\nrc=0") != NULL;
    if (!ok)
        fprintf(stderr, "fsck.fat -n %s:\n%s", target, out);
    free(out);
    if (partitioned)
        unlink(target);
    return ok;
}

/* ---- mounting ---- */

/* A fixed clock for our timestamps: 2024-05-06 07:08:10. */
static inline void host_clock(void *ctx, struct fat_clock_time *out)
{
    (void)ctx;
    *out = (struct fat_clock_time){2024, 5, 6, 7, 8, 10};
}

struct host_vol {
    struct host_disk disk;
    struct blockdev_part part;
    struct fat_volume *vol;
};

/* Open an image, find the volume through the MBR reader, and mount it. */
static inline int host_mount(struct host_vol *hv, const char *img)
{
    int err = host_disk_open(&hv->disk, img);
    if (err < 0)
        return err;
    struct mbr_volume mv;
    err = mbr_find_fat32(&hv->disk.bd, &mv);
    if (err == 0)
        err = blockdev_part_init(&hv->part, &hv->disk.bd, mv.start, mv.sectors);
    struct fat_mount_opts opts = {.now = host_clock};
    if (err == 0)
        err = fat_mount(&hv->part.bd, &opts, &hv->vol);
    if (err < 0)
        host_disk_close(&hv->disk);
    return err;
}

static inline int host_unmount(struct host_vol *hv)
{
    int err = fat_unmount(hv->vol);
    host_disk_close(&hv->disk);
    return err;
}

/* ---- file contents ---- */

/* Deterministic bytes for file `seed` at `offset`: no two files alike. */
static inline void host_pattern(uint8_t *buf, size_t n, uint32_t seed,
                                uint64_t offset)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t x = (offset + i) * 0x9E3779B97F4A7C15ull + seed * 0x85EBCA6Bu;
        buf[i] = (uint8_t)(x >> 56 ^ x >> 29);
    }
}

/* Read a whole host file (malloc'd); *len gets its size. NULL if missing. */
static inline uint8_t *host_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        n = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Read a whole file through our FAT code (malloc'd); NULL on error. */
static inline uint8_t *host_fat_slurp(struct fat_volume *vol, const char *path,
                                      size_t chunk, size_t *len)
{
    struct fat_file *f;
    if (fat_open(vol, path, FAT_O_RDONLY, &f) < 0)
        return NULL;
    struct fat_stat st;
    fat_fstat(f, &st);
    uint8_t *buf = malloc(st.size + 1);
    size_t got = 0;
    for (;;) {
        size_t want = chunk ? chunk : st.size + 1;
        if (want > st.size + 1 - got)
            want = st.size + 1 - got;
        int64_t n = fat_read(f, buf + got, want);
        if (n <= 0) {
            if (n < 0) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        got += (size_t)n;
    }
    fat_close(f);
    *len = got;
    return buf;
}

/* ---- mdir listings ---- */

struct host_listing {
    int n;
    char names[512][FAT_NAME_BUF];
    long sizes[512];      /* -1 for a directory */
    char stamps[512][40]; /* "2024-05-06  7:08" as mdir prints it */
};

/*
 * Parse `mdir` of one directory: each entry line is the 8.3 name (columns
 * 0-7 base, 9-11 extension, shown in the case its bits say), the size or
 * <DIR>, date, time, and the long name if there is one.
 */
static inline void host_mdir(const char *mimg, const char *dir,
                             struct host_listing *out)
{
    char *text = host_sh_out("mdir -a -i '%s' '::%s' 2>/dev/null", mimg, dir);
    out->n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        if (len < 40 || line[0] == ' ' || strncmp(line, "Directory", 9) == 0)
            continue;
        char base[9] = {0}, ext[4] = {0}, size[16], date[16], time[16];
        memcpy(base, line, 8);
        memcpy(ext, line + 9, 3);
        for (int i = 7; i >= 0 && base[i] == ' '; i--)
            base[i] = '\0';
        for (int i = 2; i >= 0 && ext[i] == ' '; i--)
            ext[i] = '\0';
        int used = 0;
        if (sscanf(line + 12, "%15s %15s %15s %n", size, date, time, &used) < 3)
            continue;
        const char *lng = line + 12 + used;
        int i = out->n++;
        if (*lng)
            snprintf(out->names[i], sizeof out->names[i], "%s", lng);
        else
            snprintf(out->names[i], sizeof out->names[i], "%s%s%s", base,
                     *ext ? "." : "", ext);
        size_t nl = strlen(out->names[i]);
        while (nl > 0 && out->names[i][nl - 1] == ' ')
            out->names[i][--nl] = '\0';
        out->sizes[i] = strcmp(size, "<DIR>") == 0 ? -1 : atol(size);
        snprintf(out->stamps[i], sizeof out->stamps[i], "%s %5s", date, time);
    }
    free(text);
}

/* The same listing through fat_readdir(). Returns 0 or the error. */
static inline int host_fat_list(struct fat_volume *vol, const char *dir,
                                struct host_listing *out)
{
    struct fat_file *f;
    int err = fat_open(vol, dir, FAT_O_RDONLY | FAT_O_DIRECTORY, &f);
    if (err < 0)
        return err;
    struct fat_dirent *e = malloc(sizeof *e);
    out->n = 0;
    while ((err = fat_readdir(f, e)) == 1 && out->n < 512) {
        int i = out->n++;
        snprintf(out->names[i], sizeof out->names[i], "%s", e->name);
        out->sizes[i] = e->is_dir ? -1 : (long)e->size;
        snprintf(out->stamps[i], sizeof out->stamps[i],
                 "%04u-%02u-%02u %2u:%02u", e->mtime.year, e->mtime.month,
                 e->mtime.day, e->mtime.hour, e->mtime.minute);
    }
    free(e);
    fat_close(f);
    return err < 0 ? err : 0;
}

/* True if two listings hold the same entries in the same order. */
static inline bool host_listing_eq(const struct host_listing *a,
                                   const struct host_listing *b, bool stamps)
{
    bool ok = a->n == b->n;
    for (int i = 0; ok && i < a->n; i++) {
        ok = strcmp(a->names[i], b->names[i]) == 0 &&
             a->sizes[i] == b->sizes[i] &&
             (!stamps || strcmp(a->stamps[i], b->stamps[i]) == 0);
    }
    if (!ok) {
        fprintf(stderr, "listings differ:\n");
        for (int i = 0; i < a->n || i < b->n; i++)
            fprintf(stderr, "  %-30s %9ld %s | %-30s %9ld %s\n",
                    i < a->n ? a->names[i] : "", i < a->n ? a->sizes[i] : 0,
                    i < a->n ? a->stamps[i] : "", i < b->n ? b->names[i] : "",
                    i < b->n ? b->sizes[i] : 0, i < b->n ? b->stamps[i] : "");
    }
    return ok;
}

/* A file's contents as mtools reads them (malloc'd); NULL if it fails. */
static inline uint8_t *host_mread(const char *mimg, const char *path,
                                  size_t *len)
{
    const char *out = host_path("mread.tmp");
    unlink(out);
    if (host_sh("mcopy -n -i '%s' '::%s' '%s' 2>/dev/null", mimg, path, out) !=
        0)
        return NULL;
    uint8_t *buf = host_slurp(out, len);
    unlink(out);
    return buf;
}

/* True if mtools reads exactly want[0..len) from path. */
static inline bool host_mread_eq(const char *mimg, const char *path,
                                 const uint8_t *want, size_t len)
{
    size_t got_len;
    uint8_t *got = host_mread(mimg, path, &got_len);
    bool ok = got != NULL && got_len == len && memcmp(got, want, len) == 0;
    if (!ok)
        fprintf(stderr, "mtools reads %s as %zu bytes, want %zu%s\n", path,
                got ? got_len : 0, len, got ? "" : " (mcopy failed)");
    free(got);
    return ok;
}

/* Write a whole file through our code: create or truncate, write, close. */
static inline int host_fat_put(struct fat_volume *vol, const char *path,
                               const uint8_t *data, size_t len)
{
    struct fat_file *f;
    int err = fat_open(vol, path, FAT_O_WRONLY | FAT_O_CREAT | FAT_O_TRUNC, &f);
    if (err < 0)
        return err;
    int64_t n = fat_write(f, data, len);
    err = fat_close(f);
    if (n != (int64_t)len)
        return n < 0 ? (int)n : -EIO;
    return err;
}

/* True if our read of the whole file is exactly model[0..len). */
static inline bool host_fat_eq(struct fat_volume *vol, const char *path,
                               const uint8_t *model, size_t len)
{
    size_t got_len;
    uint8_t *got = host_fat_slurp(vol, path, 0, &got_len);
    bool ok = got && got_len == len && memcmp(got, model, len) == 0;
    free(got);
    return ok;
}

/* The bytes of FAT copy `which` (malloc'd), read from the image file. */
static inline uint8_t *host_fat_copy(const char *img, uint64_t offset,
                                     int which, size_t *len)
{
    uint8_t bpb[512];
    FILE *f = fopen(img, "rb");
    fseek(f, (long)offset, SEEK_SET);
    if (fread(bpb, 1, sizeof bpb, f) != sizeof bpb) {
        fclose(f);
        return NULL;
    }
    uint32_t reserved = bpb[14] | bpb[15] << 8;
    uint32_t fat_size =
        bpb[36] | bpb[37] << 8 | bpb[38] << 16 | (uint32_t)bpb[39] << 24;
    *len = (size_t)fat_size * HOST_SECTOR;
    uint8_t *buf = malloc(*len);
    fseek(
        f,
        (long)(offset + (uint64_t)(reserved + which * fat_size) * HOST_SECTOR),
        SEEK_SET);
    if (fread(buf, 1, *len, f) != *len)
        memset(buf, 0xEE, *len);
    fclose(f);
    return buf;
}

/* True if both FAT copies of the image are identical. */
static inline bool host_fats_equal(const char *img, uint64_t offset)
{
    size_t a_len, b_len;
    uint8_t *a = host_fat_copy(img, offset, 0, &a_len);
    uint8_t *b = host_fat_copy(img, offset, 1, &b_len);
    bool ok = a && b && a_len == b_len && memcmp(a, b, a_len) == 0;
    free(a);
    free(b);
    return ok;
}
