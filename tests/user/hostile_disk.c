/*
 * Ember-only: what a program sees on a failing disk (make test-long).
 *
 * tests/system/test_disk_errors.py boots Ember on a disk whose sectors
 * QEMU's blkdebug makes fail, and runs this with the scenario's name:
 *
 *   fat-write  every write to the first FAT fails: a new file's fsync is
 *              EIO, the volume turns read-only (mkdir: EROFS), and the
 *              files already there stay readable
 *   fat-read   every read of the first FAT fails: all works, from the
 *              second copy
 *   dir-write  writes to /scratch's directory fail: fsync EIO, then EROFS
 *   data-read  reads of /README.txt's data fail: its read is EIO, and
 *              writing elsewhere still works
 *   data-write writes of /README.txt's data fail: overwriting its first
 *              bytes is accepted into the page cache, the fsync is EIO,
 *              the volume turns read-only (write, mkdir: EROFS, sync:
 *              EIO), and README.txt still reads back at its size
 *
 * Each check prints one line (tests/user/scheck.h); the Python side judges
 * the kernel's log and the disk.
 *
 * Portable: Ember only (x86_64, musl).
 * See: tests/user/README.md, docs/storage.md
 */
#define _GNU_SOURCE /* syscall() */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scheck.h"

#define FILE_BYTES 50000
#define README     "/README.txt"

static uint8_t data[FILE_BYTES], back[FILE_BYTES];

/* A call's result as the kernel gave it: the value, or -errno. */
static long result(long r)
{
    return r < 0 ? -errno : r;
}

static long read_all(const char *path, uint8_t *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    long got = result(read(fd, buf, n));
    close(fd);
    return got;
}

/* Writes new.bin and syncs it: the fsync's result. */
static long write_new(void)
{
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 8));
    int fd = open("new.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    sc_check("create new.bin", fd >= 0, "errno %d", errno);
    if (fd < 0)
        return -errno;
    sc_ret("write new.bin", result(write(fd, data, sizeof data)), sizeof data);
    long synced = result(fsync(fd));
    close(fd);
    return synced;
}

#define OVERWRITE_BYTES 100 /* less than README.txt: its size stays */

/* data-write: the overwrite of README.txt's first bytes is lost, alone. */
static int data_write(long n)
{
    static uint8_t page[OVERWRITE_BYTES], back_page[4096];
    memset(page, 'x', sizeof page);
    int fd = open(README, O_WRONLY);
    sc_check("open README.txt for writing", fd >= 0, "errno %d", errno);
    sc_ret("overwrite README.txt", result(write(fd, page, sizeof page)),
           sizeof page);
    sc_ret("its fsync is EIO", result(fsync(fd)), -EIO);
    sc_ret("a write after it", result(write(fd, page, sizeof page)), -EROFS);
    close(fd);
    sc_ret("mkdir after it", result(mkdir("after", 0755)), -EROFS);
    /* Readable still, at its size; what it reads (the cache's copy or
     * the disk's) is not judged: Linux, too, serves the failed page. */
    sc_ret("README.txt reads back",
           read_all(README, back_page, sizeof back_page), n);
    sc_ret("sync reports it", result(syscall(SYS_sync)), -EIO);
    return sc_done();
}

int main(int argc, char **argv)
{
    sc_begin();
    const char *s = argc > 1 ? argv[1] : "";
    bool fails = !strcmp(s, "fat-write") || !strcmp(s, "dir-write");
    static uint8_t readme[4096];
    long n = read_all(README, readme, sizeof readme);
    if (!strcmp(s, "data-read"))
        sc_ret("README.txt read is EIO", n, -EIO);
    else
        sc_check("README.txt readable", n > 0, "read returned %ld", n);
    if (!strcmp(s, "data-write"))
        return data_write(n);
    sc_ret("fsync of new.bin", write_new(), fails ? -EIO : 0);
    sc_ret("mkdir after it", result(mkdir("after", 0755)), fails ? -EROFS : 0);
    if (!fails) {
        sc_ret("new.bin reads back", read_all("new.bin", back, sizeof back),
               sizeof back);
        sc_check("new.bin's bytes", !memcmp(data, back, sizeof data), "differ");
    } else {
        struct stat st;
        sc_ret("stat of a file already there", result(stat(README, &st)), 0);
        /* sync(2) through syscall(): musl's sync() drops the result. */
        sc_ret("sync reports it", result(syscall(SYS_sync)), -EIO);
    }
    return sc_done();
}
