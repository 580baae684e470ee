/*
 * Host tests: a seeded random workload against an in-memory model, and a
 * volume filled until -ENOSPC.
 *
 * The random test runs 6,000 operations (create, write at random offsets
 * including past the end, truncate, rename and move, mkdir, unlink, rmdir,
 * read back, and an occasional unmount and remount) chosen by a fixed seed,
 * and predicts every result from a model of the tree: error codes too
 * (-EEXIST, -ENOTEMPTY, -EINVAL for a directory moved into itself). At the
 * end every file must read back through our code and through mtools, every
 * listing must match `mdir`, and fsck.fat must find nothing to fix. A
 * failure prints the seed and operation number; EMBER_FAT_SEED=<seed> in
 * the environment replays it (or tries another workload).
 *
 * The fill test writes files until the volume is full: the last write is
 * short, the next one is -ENOSPC, and nothing written before is lost.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <strings.h>
#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define DEFAULT_SEED 20240506u
#define OPS          6000
#define MAX_NODES    1000
#define MAX_WRITE    20000
#define MAX_TOTAL    (12u << 20)

struct node {
    int parent; /* index; -1 for the root (node 0) */
    char name[48];
    bool dir;
    bool live;
    uint8_t *data;
    size_t len;
};

static struct node nodes[MAX_NODES];
static int nnodes;
static uint64_t rng_state;
static char img[600];
static bool part; /* img is an MBR disk: mtools needs img@@offset */
static int op_no;
static uint32_t seed = DEFAULT_SEED; /* EMBER_FAT_SEED overrides it */

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return n ? (uint32_t)(rng_state >> 33) % n : 0;
}

static void path_of(int i, char *out, size_t cap)
{
    if (i == 0) {
        snprintf(out, cap, "/");
        return;
    }
    char parent[1024];
    path_of(nodes[i].parent, parent, sizeof parent);
    snprintf(out, cap, "%s%s%s", parent, i && nodes[i].parent ? "/" : "",
             nodes[i].name);
}

static int find_child(int parent, const char *name)
{
    for (int i = 1; i < nnodes; i++)
        if (nodes[i].live && nodes[i].parent == parent &&
            strcasecmp(nodes[i].name, name) == 0)
            return i;
    return -1;
}

/* A random live node: dir or file as asked (-1: none). */
static int pick(bool dir)
{
    int cands[MAX_NODES], n = 0;
    for (int i = dir ? 0 : 1; i < nnodes; i++)
        if (nodes[i].live && nodes[i].dir == dir)
            cands[n++] = i;
    return n ? cands[rnd((uint32_t)n)] : -1;
}

/* Names of every shape: 8.3 lower/upper, mixed case, spaces, long. */
static void random_name(char *out)
{
    static const char *const stems[] = {"a",
                                        "readme",
                                        "Data",
                                        "LOG",
                                        "x y",
                                        "notes.txt",
                                        "IMG_0001.JPG",
                                        "sh",
                                        "a much longer file name"};
    static const char *const exts[] = {"", ".txt", ".C", ".Md", ".bin", ""};
    snprintf(out, 48, "%s%u%s", stems[rnd(9)], rnd(30), exts[rnd(6)]);
}

static size_t total_bytes(void)
{
    size_t t = 0;
    for (int i = 0; i < nnodes; i++)
        if (nodes[i].live && !nodes[i].dir)
            t += nodes[i].len;
    return t;
}

#define EXPECT(call, want)                                                     \
    do {                                                                       \
        long long got_ = (call), want_ = (want);                               \
        if (got_ != want_) {                                                   \
            fprintf(stderr, "seed %u op %d: %s = %lld, want %lld\n", seed,     \
                    op_no, #call, got_, want_);                                \
            check_cur_failed = 1;                                              \
        }                                                                      \
    } while (0)

/* A free slot of the model (a dead node's, or a new one); -1 if full. */
static int new_slot(void)
{
    for (int i = 1; i < nnodes; i++)
        if (!nodes[i].live)
            return i;
    return nnodes < MAX_NODES ? nnodes++ : -1;
}

static void op_create(struct fat_volume *vol, bool dir)
{
    int slot = new_slot();
    if (slot < 0)
        return;
    int parent = pick(true);
    char name[48], path[1200];
    random_name(name);
    path_of(parent, path, sizeof path);
    snprintf(path + strlen(path), sizeof path - strlen(path), "%s%s",
             parent ? "/" : "", name);
    bool exists = find_child(parent, name) >= 0;
    struct fat_file *f;
    if (dir) {
        EXPECT(fat_mkdir(vol, path), exists ? -EEXIST : 0);
    } else {
        int err =
            fat_open(vol, path, FAT_O_RDWR | FAT_O_CREAT | FAT_O_EXCL, &f);
        EXPECT(err, exists ? -EEXIST : 0);
        if (err == 0)
            fat_close(f);
    }
    if (exists)
        return;
    struct node *n = &nodes[slot];
    *n = (struct node){.parent = parent, .dir = dir, .live = true};
    n->data = malloc(1);
    snprintf(n->name, sizeof n->name, "%s", name);
}

static void op_write(struct fat_volume *vol)
{
    int i = pick(false);
    if (i < 0 || total_bytes() > MAX_TOTAL)
        return;
    struct node *n = &nodes[i];
    char path[1200];
    path_of(i, path, sizeof path);
    size_t off = rnd((uint32_t)n->len + 3000), len = rnd(MAX_WRITE);
    size_t end = off + len > n->len ? off + len : n->len;
    n->data = realloc(n->data, end + 1);
    if (end > n->len)
        memset(n->data + n->len, 0, end - n->len);
    host_pattern(n->data + off, len, (uint32_t)op_no, off);
    n->len = end;
    struct fat_file *f;
    EXPECT(fat_open(vol, path, FAT_O_RDWR, &f), 0);
    EXPECT(fat_seek(f, (int64_t)off, FAT_SEEK_SET), off);
    EXPECT(fat_write(f, n->data + off, len), len);
    EXPECT(fat_close(f), 0);
}

static void op_truncate(struct fat_volume *vol)
{
    int i = pick(false);
    if (i < 0)
        return;
    struct node *n = &nodes[i];
    char path[1200];
    path_of(i, path, sizeof path);
    size_t size = rnd((uint32_t)(n->len * 3 / 2 + 2));
    n->data = realloc(n->data, size + 1);
    if (size > n->len)
        memset(n->data + n->len, 0, size - n->len);
    n->len = size;
    EXPECT(fat_truncate(vol, path, size), 0);
}

static bool inside(int i, int dir)
{
    for (; i > 0; i = nodes[i].parent)
        if (i == dir)
            return true;
    return dir == 0;
}

static bool has_children(int d)
{
    for (int i = 1; i < nnodes; i++)
        if (nodes[i].live && nodes[i].parent == d)
            return true;
    return false;
}

/* What fat_rename() must return, by POSIX, for node s onto (parent, name). */
static int rename_expect(int s, int parent, const char *name, int t)
{
    if (nodes[s].dir && inside(parent, s))
        return -EINVAL;
    if (t < 0 || t == s)
        return 0;
    if (nodes[s].dir && !nodes[t].dir)
        return -ENOTDIR;
    if (!nodes[s].dir && nodes[t].dir)
        return -EISDIR;
    if (nodes[t].dir && has_children(t))
        return -ENOTEMPTY;
    (void)name;
    return 0;
}

static void op_rename(struct fat_volume *vol)
{
    int s = rnd(3) ? pick(false) : pick(true);
    if (s <= 0)
        return;
    int parent = pick(true);
    char name[48], from[1200], to[1200];
    if (rnd(4) == 0)
        snprintf(name, sizeof name, "%s", nodes[s].name);
    else
        random_name(name);
    int t = find_child(parent, name);
    path_of(s, from, sizeof from);
    path_of(parent, to, sizeof to);
    snprintf(to + strlen(to), sizeof to - strlen(to), "%s%s", parent ? "/" : "",
             name);
    int want = rename_expect(s, parent, name, t);
    EXPECT(fat_rename(vol, from, to), want);
    if (want < 0)
        return;
    if (t >= 0 && t != s) {
        nodes[t].live = false;
        free(nodes[t].data);
        nodes[t].data = NULL;
    }
    nodes[s].parent = parent;
    snprintf(nodes[s].name, sizeof nodes[s].name, "%s", name);
}

static void op_remove(struct fat_volume *vol)
{
    bool dir = rnd(4) == 0;
    int i = pick(dir);
    if (i <= 0)
        return;
    char path[1200];
    path_of(i, path, sizeof path);
    if (dir) {
        bool full = has_children(i);
        EXPECT(fat_rmdir(vol, path), full ? -ENOTEMPTY : 0);
        if (full)
            return;
    } else {
        EXPECT(fat_unlink(vol, path), 0);
    }
    nodes[i].live = false;
    free(nodes[i].data);
    nodes[i].data = NULL;
}

static void verify_file(struct fat_volume *vol, int i)
{
    char path[1200];
    path_of(i, path, sizeof path);
    size_t len;
    uint8_t *got = host_fat_slurp(vol, path, 3000, &len);
    if (got == NULL || len != nodes[i].len ||
        memcmp(got, nodes[i].data, len) != 0) {
        fprintf(stderr,
                "seed %u op %d: %s reads wrong (%zu bytes, want "
                "%zu)\n",
                seed, op_no, path, got ? len : 0, nodes[i].len);
        check_cur_failed = 1;
    }
    free(got);
}

static void one_op(struct host_vol *hv)
{
    uint32_t r = rnd(100);
    if (r < 15)
        op_create(hv->vol, false);
    else if (r < 20)
        op_create(hv->vol, true);
    else if (r < 50)
        op_write(hv->vol);
    else if (r < 60)
        op_truncate(hv->vol);
    else if (r < 73)
        op_rename(hv->vol);
    else if (r < 88)
        op_remove(hv->vol);
    else if (r < 99) {
        int i = pick(false);
        if (i > 0)
            verify_file(hv->vol, i);
    } else {
        CHECK_EQ(host_unmount(hv), 0);
        CHECK_EQ(host_mount(hv, img), 0);
    }
}

/* Every file through mtools, every listing against mdir. */
static void verify_with_mtools(void)
{
    struct host_listing *l = malloc(sizeof *l), *m = malloc(sizeof *m);
    struct host_vol hv;
    for (int i = 0; i < nnodes && !check_cur_failed; i++) {
        if (!nodes[i].live)
            continue;
        char path[1200];
        path_of(i, path, sizeof path);
        if (!nodes[i].dir) {
            CHECK(host_mread_eq(host_mimg(img, part), path, nodes[i].data,
                                nodes[i].len));
            continue;
        }
        CHECK_EQ(host_mount(&hv, img), 0);
        CHECK_EQ(host_fat_list(hv.vol, path, l), 0);
        CHECK_EQ(host_unmount(&hv), 0);
        host_mdir(host_mimg(img, part), path, m);
        CHECK(host_listing_eq(l, m, true));
    }
    free(l);
    free(m);
}

/* `ops` seeded random operations on a fresh volume, checked throughout. */
static void run_random(unsigned size_mib, unsigned spc, bool partitioned,
                       int ops)
{
    snprintf(img, sizeof img, "%s", host_path("random.img"));
    part = partitioned;
    CHECK_EQ(part ? host_mkdisk(img, size_mib, spc)
                  : host_mkfs(img, size_mib, spc, ""),
             0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, img), 0);
    if (check_cur_failed)
        return;
    rng_state = seed;
    memset(nodes, 0, sizeof nodes);
    nodes[0] = (struct node){.parent = -1, .dir = true, .live = true};
    nnodes = 1;
    for (op_no = 0; op_no < ops && !check_cur_failed; op_no++)
        one_op(&hv);
    for (int i = 1; i < nnodes; i++)
        if (nodes[i].live && !nodes[i].dir)
            verify_file(hv.vol, i);
    CHECK_EQ(host_unmount(&hv), 0);
    verify_with_mtools();
    CHECK(host_fsck_clean(img, part));
    int live = 0;
    for (int i = 0; i < nnodes; i++) {
        live += nodes[i].live;
        free(nodes[i].data);
    }
    printf("    %d operations, %d entries live at the end\n", ops, live);
}

/* 6,000 seeded random operations at 512-byte clusters match the model. */
TEST(fat_random_operations_match_model)
{
    run_random(40, 1, false, OPS);
}

/* The same workload, shorter, on the real disk's partitioned 4 KiB layout. */
TEST(fat_random_operations_on_partitioned_4k)
{
    run_random(272, 8, true, OPS / 4);
}

/* And on 32 KiB clusters, where most files fit in one cluster. */
TEST(fat_random_operations_on_32k_clusters)
{
    run_random(2100, 64, false, OPS / 4);
}

#define FILL_CHUNK (64u * 1024)
#define FILL_FILE  (1u << 20)

/* Writes until the volume is full: a short write, then -ENOSPC, no loss. */
TEST(fat_fill_volume_until_enospc)
{
    snprintf(img, sizeof img, "%s", host_path("fill.img"));
    part = false;
    CHECK_EQ(host_mkfs(img, 40, 1, ""), 0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, img), 0);
    if (check_cur_failed)
        return;
    uint8_t *chunk = malloc(FILL_CHUNK);
    size_t sizes[64] = {0};
    int nfiles = 0;
    bool full = false;
    char path[64];
    while (!full && nfiles < 64) {
        snprintf(path, sizeof path, "/fill-%02d.bin", nfiles);
        struct fat_file *f;
        CHECK_EQ(fat_open(hv.vol, path, FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
        for (size_t off = 0; off < FILL_FILE; off += FILL_CHUNK) {
            host_pattern(chunk, FILL_CHUNK, (uint32_t)nfiles, off);
            int64_t n = fat_write(f, chunk, FILL_CHUNK);
            if (n == (int64_t)FILL_CHUNK) {
                sizes[nfiles] += FILL_CHUNK;
                continue;
            }
            CHECK(n > 0 || n == -ENOSPC);
            sizes[nfiles] += n > 0 ? (size_t)n : 0;
            CHECK_EQ(fat_write(f, chunk, FILL_CHUNK), -ENOSPC);
            full = true;
            break;
        }
        CHECK_EQ(fat_close(f), 0);
        nfiles++;
    }
    CHECK(full);
    struct fat_statfs sf;
    CHECK_EQ(fat_statfs(hv.vol, &sf), 0);
    CHECK_EQ(sf.free_clusters, 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/no room"), -ENOSPC);
    /* Freeing one file gives its room back. */
    CHECK_EQ(fat_unlink(hv.vol, "/fill-00.bin"), 0);
    CHECK_EQ(fat_statfs(hv.vol, &sf), 0);
    CHECK_EQ(sf.free_clusters, FILL_FILE / sf.cluster_size);
    CHECK_EQ(fat_mkdir(hv.vol, "/room again"), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    for (int i = 1; i < nfiles; i++) {
        uint8_t *want = malloc(sizes[i] + 1);
        host_pattern(want, sizes[i], (uint32_t)i, 0);
        snprintf(path, sizeof path, "/fill-%02d.bin", i);
        CHECK(host_mread_eq(img, path, want, sizes[i]));
        free(want);
    }
    printf("    filled with %d files, the last %zu bytes\n", nfiles,
           sizes[nfiles - 1]);
    CHECK(host_fsck_clean(img, false));
    free(chunk);
}

int main(void)
{
    host_init("random");
    if (getenv("EMBER_FAT_SEED"))
        seed = (uint32_t)strtoul(getenv("EMBER_FAT_SEED"), NULL, 0);
    RUN(fat_random_operations_match_model);
    RUN(fat_random_operations_on_partitioned_4k);
    RUN(fat_random_operations_on_32k_clusters);
    RUN(fat_fill_volume_until_enospc);
    return host_finish(check_summary());
}
