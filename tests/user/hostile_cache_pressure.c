/*
 * The page cache under pressure, and exec from it: every check is judged
 * by the kernel's own counters in /proc/ember.
 *
 *   exec twice  drop the caches, fork+exec /bin/true twice: the first
 *               exec reads sectors from the disk, the second none (its
 *               pages are mapped from the cache; /proc/ember's
 *               ata_sectors_read does not move).
 *   drop_caches writing 3 to /proc/sys/vm/drop_caches empties the cache
 *               of clean pages (pcache_pages falls).
 *   read big    read argv[1], a file larger than free memory, whose every
 *               8-byte word is its 4 KiB block number (the system test
 *               writes it with mtools): every word is right, so pages the
 *               cache gave up and read again were never mixed up, and the
 *               cache reclaimed pages (pcache_reclaimed grew).
 *   malloc most a child mallocs and touches three quarters of MemTotal
 *               while the cache is full: the frame allocator's reclaim
 *               hook hands the cache's clean pages back, so the child
 *               exits 0 instead of being killed for lack of memory.
 *
 * See: docs/storage.md, tests/system/test_pcache.py, tests/user/scheck.h
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheck.h"

#define MIB           (1024 * 1024)
#define PAGE          4096
#define WORD          8
#define CHUNK         MIB
#define KIB           1024
#define MALLOC_PARTS  4 /* malloc MemTotal * 3 / MALLOC_PARTS */
#define MALLOC_SHARE  3
#define TRUE_PROGRAM  "/bin/true"
#define EMBER_FIGURES "/proc/ember"

static long long sectors_read(void)
{
    return sc_figure(EMBER_FIGURES, "ata_sectors_read");
}

/* fork, execve /bin/true, wait: its exit status, or -1. */
static int run_true(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {TRUE_PROGRAM, NULL};
        char *envp[] = {NULL};
        execve(TRUE_PROGRAM, argv, envp);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void exec_twice(void)
{
    sc_check("drop_caches_accepts_3", sc_drop_caches() == 0, "write failed");
    long long s0 = sectors_read();
    int st1 = run_true();
    long long s1 = sectors_read();
    int st2 = run_true();
    long long s2 = sectors_read();
    sc_check("true_runs_twice", st1 == 0 && st2 == 0, "statuses %d, %d", st1,
             st2);
    sc_check("cold_exec_reads_the_disk", s0 >= 0 && s1 > s0,
             "%lld sectors read", s1 - s0);
    sc_check("second_exec_reads_nothing", s1 >= 0 && s2 == s1,
             "%lld sectors read", s2 - s1);
    long long before = sc_figure(EMBER_FIGURES, "pcache_pages");
    sc_drop_caches();
    long long after = sc_figure(EMBER_FIGURES, "pcache_pages");
    sc_check("drop_caches_empties_the_cache", after >= 0 && after < before,
             "%lld pages before, %lld after", before, after);
}

static void read_big(const char *path)
{
    long long reclaimed = sc_figure(EMBER_FIGURES, "pcache_reclaimed");
    long long free_kb = sc_figure("/proc/meminfo", "MemFree");
    uint64_t *buf = malloc(CHUNK);
    int fd = open(path, O_RDONLY);
    uint64_t off = 0, bad = 0;
    ssize_t n = 0;
    while (fd >= 0 && buf && (n = read(fd, buf, CHUNK)) > 0) {
        for (ssize_t i = 0; i < n / WORD; i++)
            if (buf[i] != (off + (uint64_t)i * WORD) / PAGE)
                bad++;
        off += (uint64_t)n;
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    sc_check("big_file_is_larger_than_free_memory",
             free_kb > 0 && off > (uint64_t)free_kb * KIB,
             "%llu bytes read, %lld kB free", (unsigned long long)off, free_kb);
    sc_check("big_file_reads_back_exactly", n == 0 && bad == 0,
             "read returned %zd, %llu bad words", n, (unsigned long long)bad);
    long long now = sc_figure(EMBER_FIGURES, "pcache_reclaimed");
    sc_check("cache_reclaimed_pages", now > reclaimed, "%lld pages reclaimed",
             now - reclaimed);
}

static void malloc_most(void)
{
    long long total_kb = sc_figure("/proc/meminfo", "MemTotal");
    long long cached_kb = sc_figure("/proc/meminfo", "Cached");
    size_t bytes = (size_t)(total_kb * KIB / MALLOC_PARTS * MALLOC_SHARE);
    pid_t pid = fork();
    if (pid == 0) {
        char *p = malloc(bytes);
        if (!p)
            _exit(2);
        for (size_t i = 0; i < bytes; i += PAGE)
            p[i] = 1;
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    sc_check("cache_was_full_before", cached_kb * KIB > (long long)bytes / 2,
             "%lld kB cached", cached_kb);
    sc_check("malloc_of_most_memory_succeeds",
             WIFEXITED(status) && WEXITSTATUS(status) == 0,
             "%zu bytes: status %#x", bytes, status);
}

int main(int argc, char **argv)
{
    sc_begin();
    if (argc < 2) {
        sc_check("has_a_big_file", false, "usage: %s BIGFILE", argv[0]);
        return sc_done();
    }
    exec_twice();
    read_big(argv[1]);
    malloc_most();
    return sc_done();
}
