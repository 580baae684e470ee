/*
 * Reads through the page cache and its readahead, judged against the
 * host: the system test (tests/system/test_pcache.py) puts a file of
 * pseudo-random bytes on the disk and passes its checksum (a word-wise
 * FNV-1a, the same function on both sides) on the command line.
 *
 *   bytes FILE SUM  reads FILE cold (after drop_caches) with fread in
 *                   64 KiB pieces (musl's readv at odd offsets), warm
 *                   with read() in 1 MiB pieces, cold again in 12,345-byte
 *                   pieces and with readv into three odd buffers, and cold
 *                   from two processes at once: each pass gives SUM. Then
 *                   300 preads at pseudo-random offsets and lengths match
 *                   the bytes the full pass read, and a read() whose
 *                   buffer ends in a PROT_NONE page returns the bytes
 *                   before it (some, up to the hole) and moves the offset by
 * exactly that much. error FILE SUM BAD FILE has a sector failing inside its
 * readahead window, in the page at byte BAD (a multiple of 4096): read() in 64
 * KiB pieces from the start gives exactly BAD bytes whose checksum is SUM, then
 * EIO; a pread of the page after the bad one still succeeds.
 *
 * See: docs/storage.md, tests/user/scheck.h
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheck.h"

#define KIB         1024
#define MIB         (1024 * 1024)
#define PAGE        4096
#define FREAD_CHUNK (64 * KIB)
#define ODD_CHUNK   12345
#define PREADS      300
#define FNV_OFFSET  0xcbf29ce484222325ull
#define FNV_PRIME   0x100000001b3ull
#define MAX_FILE    (17 * MIB) /* the test's file is 16 MiB */
#define DROP_CACHES "/proc/sys/vm/drop_caches"
#define IOV_PIECES  3
#define RNG_MULT    6364136223846793005ull
#define RNG_ADD     1442695040888963407ull
#define RNG_SHIFT   33
#define SUM_BASE    16

/* The checksum: FNV-1a over little-endian 64-bit words, zero-padded. */
static uint64_t checksum(const uint8_t *p, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i += sizeof(uint64_t)) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i < sizeof w ? n - i : sizeof w);
        h = (h ^ w) * FNV_PRIME;
    }
    return h;
}

static void drop_caches(void)
{
    int fd = open(DROP_CACHES, O_WRONLY);
    if (fd >= 0) {
        if (write(fd, "3\n", 2) != 2)
            perror("drop_caches");
        close(fd);
    }
}

/* Reads fd to its end with read() in `chunk` pieces; the bytes, or -errno. */
static long read_all(int fd, uint8_t *buf, size_t cap, size_t chunk)
{
    size_t got = 0;
    while (got < cap) {
        size_t want = cap - got < chunk ? cap - got : chunk;
        ssize_t n = read(fd, buf + got, want);
        if (n < 0)
            return got ? (long)got : -errno;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (long)got;
}

static long read_path(const char *path, uint8_t *buf, size_t cap, size_t chunk)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    long n = read_all(fd, buf, cap, chunk);
    close(fd);
    return n;
}

static long fread_path(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    size_t got = 0, n;
    while (got < cap && (n = fread(buf + got, 1, FREAD_CHUNK, f)) > 0)
        got += n;
    fclose(f);
    return (long)got;
}

static long readv_path(const char *path, uint8_t *buf, size_t cap)
{
    static const size_t piece[IOV_PIECES] = {4095, 70001, 3};
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    size_t got = 0;
    for (;;) {
        struct iovec v[IOV_PIECES];
        size_t at = got;
        for (int i = 0; i < IOV_PIECES; i++) {
            size_t len = piece[i] < cap - at ? piece[i] : cap - at;
            v[i] = (struct iovec){buf + at, len};
            at += len;
        }
        ssize_t n = readv(fd, v, IOV_PIECES);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return (long)got;
}

static void check_sum(const char *name, long n, const uint8_t *buf,
                      uint64_t want)
{
    uint64_t got = n > 0 ? checksum(buf, (size_t)n) : 0;
    sc_check(name, n > 0 && got == want, "read %ld bytes, sum %016llx", n,
             (unsigned long long)got);
}

static void two_readers(const char *path, uint8_t *buf, size_t cap,
                        uint64_t want)
{
    drop_caches();
    pid_t pid = fork();
    if (pid == 0) {
        long n = read_path(path, buf, cap, FREAD_CHUNK);
        _exit(n > 0 && checksum(buf, (size_t)n) == want ? 0 : 1);
    }
    long n = read_path(path, buf + cap, cap, MIB);
    int status = -1;
    waitpid(pid, &status, 0);
    check_sum("parent_reads_beside_a_child", n, buf + cap, want);
    sc_check("child_reads_beside_its_parent",
             WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d",
             status);
}

static void random_preads(const char *path, const uint8_t *ref, size_t size)
{
    int fd = open(path, O_RDONLY);
    static uint8_t got[MIB];
    uint64_t rng = size;
    int bad = 0;
    long first_off = -1, first_len = 0, first_n = 0;
    drop_caches();
    for (int i = 0; i < PREADS && fd >= 0; i++) {
        rng = rng * RNG_MULT + RNG_ADD;
        size_t off = (size_t)(rng >> RNG_SHIFT) % size;
        rng = rng * RNG_MULT + RNG_ADD;
        size_t len = (size_t)(rng >> RNG_SHIFT) % sizeof got;
        size_t want = len < size - off ? len : size - off;
        ssize_t n = pread(fd, got, len, (off_t)off);
        if (n != (ssize_t)want || memcmp(got, ref + off, want) != 0) {
            if (bad++ == 0) {
                first_off = (long)off;
                first_len = (long)len;
                first_n = (long)n;
            }
        }
    }
    sc_check("random_preads_match", fd >= 0 && bad == 0,
             "%d of %d differ, the first at %ld, %ld bytes: pread gave %ld",
             bad, PREADS, first_off, first_len, first_n);
    close(fd);
}

/* A read into a buffer whose second page is PROT_NONE. */
static void read_to_a_hole(const char *path, const uint8_t *ref)
{
    uint8_t *map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int fd = open(path, O_RDONLY);
    if (map == MAP_FAILED || fd < 0 || mprotect(map + PAGE, PAGE, PROT_NONE)) {
        sc_check("read_to_a_hole", false, "setup failed: errno %d", errno);
        return;
    }
    lseek(fd, 100, SEEK_SET);
    ssize_t n = read(fd, map + 96, 2 * PAGE);
    off_t at = lseek(fd, 0, SEEK_CUR);
    /* Linux stops at the exact byte; Ember at the last page-cache page
     * whose copy completed, up to a page earlier. Both are partial. */
    sc_check("read_stops_at_a_hole",
             n > 0 && n <= PAGE - 96 && memcmp(map + 96, ref + 100, n) == 0,
             "read returned %zd", n);
    sc_check("offset_moves_by_what_was_read", at == 100 + (off_t)n,
             "offset %lld after %zd bytes", (long long)at, n);
    close(fd);
    munmap(map, 2 * PAGE);
}

static void bytes(const char *path, uint64_t want)
{
    uint8_t *buf = malloc(2 * (size_t)MAX_FILE);
    if (!buf) {
        sc_check("malloc", false, "no memory");
        return;
    }
    drop_caches();
    long size = fread_path(path, buf, MAX_FILE);
    check_sum("cold_fread_64k", size, buf, want);
    check_sum("warm_read_1m", read_path(path, buf, MAX_FILE, MIB), buf, want);
    drop_caches();
    check_sum("cold_read_odd_pieces", read_path(path, buf, MAX_FILE, ODD_CHUNK),
              buf, want);
    drop_caches();
    check_sum("cold_readv_odd_buffers", readv_path(path, buf, MAX_FILE), buf,
              want);
    if (size > 0) {
        two_readers(path, buf, (size_t)size, want);
        check_sum("warm_read_again", read_path(path, buf, (size_t)size, MIB),
                  buf, want);
        random_preads(path, buf, (size_t)size);
        read_to_a_hole(path, buf);
    }
    free(buf);
}

static void error(const char *path, uint64_t want, long bad)
{
    uint8_t *buf = malloc((size_t)bad + MIB);
    int fd = open(path, O_RDONLY);
    if (!buf || fd < 0) {
        sc_check("setup", false, "errno %d", errno);
        return;
    }
    drop_caches();
    long n = read_all(fd, buf, (size_t)bad + MIB, FREAD_CHUNK);
    sc_ret("reads_up_to_the_bad_page", n, bad);
    check_sum("bytes_before_it_are_right", n, buf, want);
    ssize_t r = read(fd, buf, FREAD_CHUNK);
    sc_ret("then_eio", r < 0 ? -errno : r, -EIO);
    r = pread(fd, buf, PAGE, bad + PAGE);
    sc_ret("the_page_after_it_reads", r, PAGE);
    close(fd);
    free(buf);
}

int main(int argc, char **argv)
{
    sc_begin();
    if (argc >= 4 && strcmp(argv[1], "bytes") == 0)
        bytes(argv[2], strtoull(argv[3], NULL, SUM_BASE));
    else if (argc >= 5 && strcmp(argv[1], "error") == 0)
        error(argv[2], strtoull(argv[3], NULL, SUM_BASE), atol(argv[4]));
    else
        sc_check("usage", false, "bytes FILE SUM | error FILE SUM BAD");
    return sc_done();
}
