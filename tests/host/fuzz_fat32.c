/*
 * libFuzzer target: mount, look up, list, read and change a FAT32 volume.
 *
 * A FAT32 volume is at least about 33 MiB and libFuzzer's inputs are capped
 * near 1 MiB, so the input is only the first sectors of a virtual volume:
 * reads past its end return zeros, and the volume's size comes from its own
 * boot sector (capped at 128 MiB, enough for 512-byte and 1 KiB clusters).
 * Writes go to a small in-memory overlay, so the target exercises creating,
 * writing, renaming and removing on a damaged volume too. The seeds are the
 * first sectors of real mkfs.fat + mtools images, made by
 * tools/fuzz-seeds.sh at build time; nothing binary is committed.
 *
 * This file is also the host half of lib/portable.h for the fuzzer, like
 * tests/host/portable_host.c but with klog silenced: printing every
 * refusal would cost most of the fuzzer's time.
 *
 * Build and run: `make fuzz` (tests/tests.mk).
 * Portable: host only (clang -fsanitize=fuzzer,address,undefined).
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ember/errno.h>
#include "lib/portable.h"

#define SS               512
#define VIRT_MAX_SECTORS (128u * 1024 * 1024 / SS)
#define OVERLAY_SLOTS    4096 /* sectors the target may write; then -EIO */
#define READ_CAP         (64 * 1024)

void *kmalloc(size_t size)
{
    return malloc(size);
}

void kfree(void *ptr)
{
    free(ptr);
}

void klog(int level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

void kassert_fail(const char *expr, const char *file, int line,
                  const char *func)
{
    fprintf(stderr, "%s:%d: %s: KASSERT(%s) failed\n", file, line, func, expr);
    abort();
}

struct vdisk {
    struct blockdev bd;
    const uint8_t *data;
    size_t len;
    uint64_t lbas[OVERLAY_SLOTS];
    uint8_t *sectors[OVERLAY_SLOTS];
    uint32_t used;
};

static uint8_t **overlay(struct vdisk *v, uint64_t lba, int add)
{
    uint32_t h = (uint32_t)((lba * 0x9E3779B97F4A7C15ull) >> 52);
    for (uint32_t n = 0; n < OVERLAY_SLOTS; n++, h = (h + 1) % OVERLAY_SLOTS) {
        if (v->sectors[h] != NULL && v->lbas[h] == lba)
            return &v->sectors[h];
        if (v->sectors[h] == NULL) {
            if (!add || v->used == OVERLAY_SLOTS)
                return NULL;
            v->lbas[h] = lba;
            v->sectors[h] = malloc(SS);
            v->used++;
            return &v->sectors[h];
        }
    }
    return NULL;
}

static int v_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    struct vdisk *v = bd->priv;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *out = (uint8_t *)buf + (size_t)i * SS;
        uint8_t **s = overlay(v, lba + i, 0);
        uint64_t at = (lba + i) * SS;
        memset(out, 0, SS);
        if (s != NULL)
            memcpy(out, *s, SS);
        else if (at < v->len)
            memcpy(out, v->data + at, v->len - at < SS ? v->len - at : SS);
    }
    return 0;
}

static int v_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                   const void *buf)
{
    struct vdisk *v = bd->priv;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t **s = overlay(v, lba + i, 1);
        if (s == NULL)
            return -EIO;
        memcpy(*s, (const uint8_t *)buf + (size_t)i * SS, SS);
    }
    return 0;
}

/* The volume's size from its boot sector, as the fuzzer left it. */
static uint64_t virtual_sectors(const uint8_t *d, size_t len)
{
    uint32_t tot16 = len >= 21 ? (uint32_t)(d[19] | d[20] << 8) : 0;
    uint32_t tot32 = 0;
    if (len >= 36)
        memcpy(&tot32, d + 32, 4);
    uint64_t n = tot16 ? tot16 : tot32;
    uint64_t have = (len + SS - 1) / SS;
    if (n < have)
        n = have;
    if (n > VIRT_MAX_SECTORS)
        n = VIRT_MAX_SECTORS;
    return n ? n : 1;
}

static void read_some(struct fat_volume *vol, const char *path)
{
    static uint8_t buf[READ_CAP];
    struct fat_file *f;
    if (fat_open(vol, path, FAT_O_RDONLY, &f) < 0)
        return;
    fat_read(f, buf, sizeof buf);
    fat_seek(f, 1000, FAT_SEEK_SET);
    fat_read(f, buf, 3000);
    fat_close(f);
}

static void list(struct fat_volume *vol, const char *dir, int depth)
{
    struct fat_file *d;
    if (depth > 2 || fat_open(vol, dir, FAT_O_RDONLY, &d) < 0)
        return;
    struct fat_dirent *e = malloc(sizeof *e);
    char path[1100];
    for (int n = 0; n < 64 && fat_readdir(d, e) == 1; n++) {
        if (e->name[0] == '.' && (e->name[1] == '\0' || e->name[1] == '.'))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->name);
        struct fat_stat st;
        fat_stat(vol, path, &st);
        if (e->is_dir)
            list(vol, path, depth + 1);
        else if (n < 8)
            read_some(vol, path);
    }
    free(e);
    fat_close(d);
}

static void change(struct fat_volume *vol)
{
    struct fat_file *f;
    static const uint8_t data[3000] = {1, 2, 3};
    if (fat_open(vol, "/fuzz file.txt", FAT_O_RDWR | FAT_O_CREAT, &f) == 0) {
        fat_write(f, data, sizeof data);
        fat_seek(f, 70000, FAT_SEEK_SET);
        fat_write(f, data, 10);
        fat_ftruncate(f, 100);
        fat_close(f);
    }
    fat_mkdir(vol, "/fuzzdir");
    fat_rename(vol, "/fuzz file.txt", "/fuzzdir/moved.txt");
    fat_unlink(vol, "/fuzzdir/moved.txt");
    fat_rmdir(vol, "/fuzzdir");
    fat_sync(vol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vdisk *v = calloc(1, sizeof *v);
    v->data = data;
    v->len = size;
    v->bd = (struct blockdev){
        SS, virtual_sectors(data, size), v_read, v_write, NULL, v};
    struct fat_volume *vol;
    if (fat_mount(&v->bd, NULL, &vol) == 0) {
        static const char *const paths[] = {
            "/",          "README.TXT", "/dir/sub/file.txt",
            "a/../b/./c", "/x/",        "/a long name with spaces.txt",
        };
        struct fat_stat st;
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            fat_stat(vol, paths[i], &st);
        list(vol, "", 0);
        change(vol);
        if (fat_unmount(vol) == -EBUSY)
            abort(); /* every file was closed: a node leaked */
    }
    for (uint32_t i = 0; i < OVERLAY_SLOTS; i++)
        free(v->sectors[i]);
    free(v);
    return 0;
}
