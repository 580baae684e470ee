/*
 * Host tests: rename and move, checked by mtools and fsck.fat.
 *
 * Renames within a directory, moves across directories (a moved directory's
 * ".." must follow, which fsck.fat checks), POSIX replacement of an existing
 * target, every refusal rename() has, a change of case only, and a file
 * renamed while it is open, which must keep working under its new name.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

static char img[600];

static bool fresh(struct host_vol *hv)
{
    snprintf(img, sizeof img, "%s", host_path("rename.img"));
    return host_mkfs(img, 40, 1, "") == 0 && host_mount(hv, img) == 0;
}

static void put(struct fat_volume *vol, const char *path, const char *text)
{
    CHECK_EQ(host_fat_put(vol, path, (const uint8_t *)text, strlen(text)), 0);
}

static void check_text(const char *path, const char *text)
{
    CHECK(host_mread_eq(img, path, (const uint8_t *)text, strlen(text)));
}

static bool exists(struct fat_volume *vol, const char *path)
{
    struct fat_stat st;
    return fat_stat(vol, path, &st) == 0;
}

/* Renames and moves of files and directories; mtools sees the result. */
TEST(fat_rename_and_move)
{
    struct host_vol hv;
    CHECK(fresh(&hv));
    if (check_cur_failed)
        return;
    CHECK_EQ(fat_mkdir(hv.vol, "/d1"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/d2"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/d1/sub"), 0);
    put(hv.vol, "/a.txt", "alpha");
    put(hv.vol, "/d1/sub/inner.txt", "inner");
    CHECK_EQ(fat_rename(hv.vol, "/a.txt", "/b with a long name.txt"), 0);
    CHECK(!exists(hv.vol, "/a.txt"));
    CHECK_EQ(fat_rename(hv.vol, "/b with a long name.txt", "/d2/c.txt"), 0);
    CHECK_EQ(fat_rename(hv.vol, "/d1/sub", "/d2/Moved Sub"), 0);
    CHECK(exists(hv.vol, "/d2/moved sub/inner.txt"));
    CHECK(!exists(hv.vol, "/d1/sub"));
    /* The moved directory's ".." now names /d2: a file made through it
     * lands there. */
    put(hv.vol, "/d2/Moved Sub/../via-dotdot.txt", "dd");
    CHECK(exists(hv.vol, "/d2/via-dotdot.txt"));
    CHECK_EQ(fat_rename(hv.vol, "/d2/Moved Sub", "/top"), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    check_text("/d2/c.txt", "alpha");
    check_text("/top/inner.txt", "inner");
    check_text("/d2/via-dotdot.txt", "dd");
    CHECK(host_fsck_clean(img, false));
}

/* An existing target is replaced as POSIX says, or refused. */
TEST(fat_rename_replaces_and_refuses)
{
    struct host_vol hv;
    CHECK(fresh(&hv));
    if (check_cur_failed)
        return;
    struct fat_statfs before, after;
    put(hv.vol, "/x", "new contents");
    put(hv.vol, "/y", "old contents, to be freed with its clusters........");
    CHECK_EQ(fat_mkdir(hv.vol, "/full"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/empty"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/dir"), 0);
    put(hv.vol, "/full/f", "f");
    CHECK_EQ(fat_statfs(hv.vol, &before), 0);
    CHECK_EQ(fat_rename(hv.vol, "/x", "/y"), 0);
    CHECK_EQ(fat_statfs(hv.vol, &after), 0);
    CHECK_EQ(after.free_clusters, before.free_clusters + 1);
    CHECK_EQ(fat_rename(hv.vol, "/dir", "/empty"), 0);
    CHECK_EQ(fat_rename(hv.vol, "/empty", "/full"), -ENOTEMPTY);
    CHECK_EQ(fat_rename(hv.vol, "/empty", "/y"), -ENOTDIR);
    CHECK_EQ(fat_rename(hv.vol, "/y", "/empty"), -EISDIR);
    CHECK_EQ(fat_rename(hv.vol, "/full", "/full/inside"), -EINVAL);
    CHECK_EQ(fat_rename(hv.vol, "/full", "/full"), 0);
    CHECK_EQ(fat_rename(hv.vol, "/", "/z"), -EBUSY);
    CHECK_EQ(fat_rename(hv.vol, "/nope", "/z"), -ENOENT);
    CHECK_EQ(fat_rename(hv.vol, "/y", "/nope/z"), -ENOENT);
    CHECK_EQ(fat_rename(hv.vol, "/y", "/z/"), -ENOTDIR);
    CHECK_EQ(fat_rename(hv.vol, "/y", "/bad?"), -EINVAL);
    CHECK_EQ(fat_rename(hv.vol, "/full/.", "/z"), -EINVAL);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/full/f", FAT_O_RDONLY, &f), 0);
    CHECK_EQ(fat_rename(hv.vol, "/y", "/full/f"), -EBUSY);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    check_text("/y", "new contents");
    CHECK(host_fsck_clean(img, false));
}

/* A change of case renames in place; mdir shows the new spelling. */
TEST(fat_rename_changes_case)
{
    struct host_vol hv;
    CHECK(fresh(&hv));
    if (check_cur_failed)
        return;
    put(hv.vol, "/foo.txt", "foo");
    put(hv.vol, "/Some Long Name.txt", "long");
    CHECK_EQ(fat_rename(hv.vol, "/foo.txt", "/Foo.txt"), 0);
    CHECK_EQ(fat_rename(hv.vol, "/some long name.txt", "/SOME LONG NAME.TXT"),
             0);
    struct host_listing *l = malloc(sizeof *l), *m = malloc(sizeof *m);
    CHECK_EQ(host_fat_list(hv.vol, "/", l), 0);
    CHECK_EQ(l->n, 2);
    CHECK(strcmp(l->names[0], "Foo.txt") == 0);
    CHECK(strcmp(l->names[1], "SOME LONG NAME.TXT") == 0);
    CHECK_EQ(host_unmount(&hv), 0);
    host_mdir(img, "/", m);
    CHECK(host_listing_eq(l, m, true));
    CHECK(host_fsck_clean(img, false));
    free(l);
    free(m);
}

/* A file renamed while open keeps being written under its new name. */
TEST(fat_rename_open_file)
{
    struct host_vol hv;
    CHECK(fresh(&hv));
    if (check_cur_failed)
        return;
    CHECK_EQ(fat_mkdir(hv.vol, "/d"), 0);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/open.txt", FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
    CHECK_EQ(fat_write(f, "one ", 4), 4);
    CHECK_EQ(fat_rename(hv.vol, "/open.txt", "/d/renamed while open.txt"), 0);
    CHECK_EQ(fat_write(f, "two", 3), 3);
    struct fat_stat st;
    CHECK_EQ(fat_stat(hv.vol, "/d/renamed while open.txt", &st), 0);
    CHECK_EQ(st.size, 7);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    check_text("/d/renamed while open.txt", "one two");
    CHECK(host_fsck_clean(img, false));
}

int main(void)
{
    host_init("rename");
    RUN(fat_rename_and_move);
    RUN(fat_rename_replaces_and_refuses);
    RUN(fat_rename_changes_case);
    RUN(fat_rename_open_file);
    return host_finish(check_summary());
}
