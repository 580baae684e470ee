/*
 * Self-tests of tmpfs and the mount table, and of FAT32's answers to the
 * calls it has no way to keep (link, symlink, chmod, chown), from kernel
 * threads through the VFS.
 *
 * A small tmpfs (size=64k: 16 pages) is mounted on /tmp/kt_small, filled
 * past its size and unmounted; FAT32's files are made under /kt_meta on
 * the root volume and removed at the end. The FAT32 results are Linux's
 * vfat with default options, as its documentation and fs/fat/file.c's
 * fat_setattr() give them: link and symlink EPERM, the owner's write bit
 * as the read-only attribute, other bits EPERM, chown only to the owner.
 *
 * Context: the boot task, interrupts on.
 * See: tests/kernel/README.md, docs/storage.md
 */
#include "ktest.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>
#include <ember/time.h>

#include "fs/file.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "lib/portable.h"
#include "mm/kheap.h"

#define SMALL      "/tmp/kt_small"
#define SMALL_SIZE "size=64k"
#define PAGE_BYTES 4096
#define PAGES      16 /* 64 KiB */
#define META       "/kt_meta"
#define MOUNTS_CAP 2048

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; *p;) {
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return true;
        while (*p && *p != '\n')
            p++;
        if (*p)
            p++;
    }
    return false;
}

/* size= is a hard bound: the 17th page is -ENOSPC, a freed one comes back. */
KTEST(fs_tmpfs_size_bounds_pages_and_umount_waits)
{
    static char page[PAGE_BYTES];
    struct file *f;
    KTEST_CHECK(vfs_mkdir(NULL, SMALL, 0755) == 0);
    KTEST_CHECK(vfs_mount_user(NULL, SMALL, "none", "tmpfs", SMALL_SIZE) == 0);
    KTEST_CHECK(vfs_mount_user(NULL, SMALL, "none", "tmpfs", "") == -EBUSY);
    KTEST_CHECK(vfs_mount_user(NULL, SMALL, "none", "ext4", "") == -ENODEV);
    KTEST_CHECK(vfs_mount_user(NULL, "/tmp/none", "none", "tmpfs", "") ==
                -ENOENT);
    KTEST_CHECK(vfs_mount_user(NULL, SMALL, "none", "tmpfs", "size=1q") ==
                -EINVAL);
    char *mounts = kmalloc(MOUNTS_CAP);
    KTEST_CHECK(mounts != NULL);
    size_t n = vfs_mounts_text(mounts, MOUNTS_CAP - 1);
    mounts[n < MOUNTS_CAP - 1 ? n : MOUNTS_CAP - 1] = '\0';
    KTEST_CHECK(has_line(mounts, "none " SMALL " tmpfs rw,size=64k,mode=1777 "
                                 "0 0"));
    kfree(mounts);

    struct vfs_statfs s;
    KTEST_CHECK(vfs_statfs(NULL, SMALL, &s) == 0);
    KTEST_CHECK(s.magic == TMPFS_MAGIC && s.total == PAGES * PAGE_BYTES &&
                s.free == s.total);
    KTEST_CHECK(
        vfs_open_mode(NULL, SMALL "/fill", O_WRONLY | O_CREAT, 0600, &f) == 0);
    int written = 0;
    long r;
    while ((r = file_write(f, page, sizeof page)) == (long)sizeof page)
        written++;
    KTEST_CHECK(written == PAGES && r == -ENOSPC);
    KTEST_CHECK(vfs_statfs(NULL, SMALL, &s) == 0 && s.free == 0);
    KTEST_CHECK(vfs_umount(NULL, SMALL) == -EBUSY); /* f is open */
    KTEST_CHECK(file_truncate(f, PAGE_BYTES) == 0); /* frees 15 pages */
    KTEST_CHECK(file_pwrite(f, page, sizeof page, PAGE_BYTES) ==
                (long)sizeof page);
    file_put(f);
    struct stat st;
    KTEST_CHECK(vfs_stat(NULL, SMALL "/fill", &st) == 0);
    KTEST_CHECK(st.st_size == 2 * PAGE_BYTES && st.st_blocks == 16 &&
                (st.st_mode & 07777) == 0600);
    KTEST_CHECK(vfs_umount(NULL, SMALL "/fill") == -EINVAL);
    KTEST_CHECK(vfs_umount(NULL, SMALL) == 0);
    KTEST_CHECK(vfs_stat(NULL, SMALL "/fill", &st) == -ENOENT);
    KTEST_CHECK(vfs_umount(NULL, SMALL) == -EINVAL);
    KTEST_CHECK(vfs_umount(NULL, "/") == -EBUSY);
    KTEST_CHECK(vfs_rmdir(NULL, SMALL) == 0);
}

/* Links, counts and an unlinked file that stays while it is open. */
KTEST(fs_tmpfs_links_counts_and_open_unlinked_files)
{
    struct file *f;
    struct stat st;
    char buf[8];
    KTEST_CHECK(vfs_mkdir(NULL, "/tmp/kt_l", 0700) == 0);
    KTEST_CHECK(
        vfs_open_mode(NULL, "/tmp/kt_l/a", O_RDWR | O_CREAT, 0644, &f) == 0);
    KTEST_CHECK(file_write(f, "data", 4) == 4);
    KTEST_CHECK(
        vfs_link(NULL, "/tmp/kt_l/a", NULL, "/tmp/kt_l/b", VFS_NOFOLLOW) == 0);
    KTEST_CHECK(vfs_symlink("b", NULL, "/tmp/kt_l/s") == 0);
    KTEST_CHECK(vfs_stat(NULL, "/tmp/kt_l/s", &st) == 0 && st.st_nlink == 2);
    KTEST_CHECK(vfs_link(NULL, "/tmp/kt_l/a", NULL, "/kt_x", 0) == -EXDEV);
    KTEST_CHECK(vfs_unlink(NULL, "/tmp/kt_l/a") == 0);
    KTEST_CHECK(vfs_unlink(NULL, "/tmp/kt_l/b") == 0);
    KTEST_CHECK(vfs_stat(NULL, "/tmp/kt_l/s", &st) == -ENOENT);
    KTEST_CHECK(file_stat(f, &st) == 0 && st.st_nlink == 0 && st.st_size == 4);
    KTEST_CHECK(file_pread(f, buf, sizeof buf, 0) == 4 &&
                memcmp(buf, "data", 4) == 0);
    file_put(f);
    KTEST_CHECK(vfs_rmdir(NULL, "/tmp/kt_l") == -ENOTEMPTY);
    KTEST_CHECK(vfs_unlink(NULL, "/tmp/kt_l/s") == 0);
    KTEST_CHECK(vfs_rmdir(NULL, "/tmp/kt_l") == 0);
}

/* What vfat does with default options, on Ember's FAT32. */
KTEST(fs_fat_link_symlink_chmod_chown_as_vfat)
{
    struct file *f;
    struct stat st;
    KTEST_CHECK(vfs_mkdir(NULL, META, 0755) == 0);
    KTEST_CHECK(vfs_open(NULL, META "/f", O_WRONLY | O_CREAT, &f) == 0);
    file_put(f);
    KTEST_CHECK(vfs_link(NULL, META "/f", NULL, META "/g", VFS_NOFOLLOW) ==
                -EPERM);
    KTEST_CHECK(vfs_symlink("f", NULL, META "/s") == -EPERM);
    KTEST_CHECK(vfs_symlink("f", NULL, "/dev/s") == -EPERM);
    KTEST_CHECK(vfs_chmod(NULL, META "/f", 0444, 0) == 0);
    KTEST_CHECK(vfs_stat(NULL, META "/f", &st) == 0 &&
                st.st_mode == (S_IFREG | 0555));
    KTEST_CHECK(vfs_open(NULL, META "/f", O_WRONLY, &f) == -EACCES);
    KTEST_CHECK(vfs_chmod(NULL, META "/f", 0644, 0) == 0);
    KTEST_CHECK(vfs_stat(NULL, META "/f", &st) == 0 &&
                st.st_mode == (S_IFREG | 0755));
    KTEST_CHECK(vfs_chmod(NULL, META "/f", 04755, 0) == -EPERM);
    KTEST_CHECK(vfs_chmod(NULL, META, 0500, 0) == 0); /* a directory: kept */
    KTEST_CHECK(vfs_stat(NULL, META, &st) == 0 &&
                st.st_mode == (S_IFDIR | 0755));
    KTEST_CHECK(vfs_chmod(NULL, META "/none", 0644, 0) == -ENOENT);
    KTEST_CHECK(vfs_chown(NULL, META "/f", 0, 0, 0) == 0);
    KTEST_CHECK(vfs_chown(NULL, META "/f", (uint32_t)-1, 0, 0) == 0);
    KTEST_CHECK(vfs_chown(NULL, META "/f", 1000, (uint32_t)-1, 0) == -EPERM);
    KTEST_CHECK(vfs_chown(NULL, META "/f", 0, 1000, 0) == -EPERM);
    KTEST_CHECK(vfs_chmod(NULL, "/dev/null", 0600, 0) == -EPERM);
    KTEST_CHECK(vfs_unlink(NULL, META "/f") == 0);
    KTEST_CHECK(vfs_rmdir(NULL, META) == 0);
}
