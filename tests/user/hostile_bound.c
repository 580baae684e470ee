/*
 * Bounded holds of the volume lock (issue #16): long operations must let
 * others in at every step and die at once when killed.
 *
 * Every bound here is counted in work, never in time, so that the checks
 * hold on a loaded host: bytes and clusters per hold from the kernel's
 * own count (/proc/ember), and another process's progress measured by
 * the size of the file being extended. One scenario per run, named by
 * the first argument; the test disk's /scratch is the working directory.
 *
 *   holds   a 100 MiB ftruncate extension and its shrink back, a 64 MiB
 *           write and read (one call each), the unlinks, and execs with
 *           the caches dropped; then every hold of the lock moved at most
 *           1 MiB of file data (storage_max_hold_bytes*) and allocated or
 *           freed at most 256 clusters, each kind of operation was seen
 *           doing work, and the shrink had freed all its clusters by the
 *           time it returned.
 *   fair    while a child extends a file by 100 MiB, the parent's stat
 *           of "/", stat of the file and 4 KiB read of another file
 *           complete before the extension advances 8 MiB (five rounds);
 *           then a SIGKILL ends the extension before it advances 2 MiB
 *           more, and the file is consistent (its size and zeros; the
 *           host runs fsck.fat -n and mtools on it after power-off).
 *   execs   PATH: 100 children exec the program at PATH (busybox) with
 *           `echo L` into one pipe, while a short child, made first,
 *           sleeps on another pipe; the parent writes `F` and wakes it; it
 *           stats, reads 4 KiB and writes `S`; fewer than 10 long execs
 *           complete between its waking (the parent's `F`) and its `S`.
 *   powercut START COUNT: the power-cut loop's guest side (run by
 *           tests/system/test_bound.py): files written, renamed over and
 *           fsynced, a line "synced NAME SEED LEN" after each fsync.
 *
 * Each scenario also prints wall-clock figures by the guest's clock,
 * "bench: NAME: VALUE UNIT", which `make bench` collects
 * (tests/system/bench.py) and no test asserts.
 *
 * Portable: Ember only (reads /proc/ember).
 * See: docs/storage.md, tests/user/README.md
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheck.h"

#define MIB          (1ul << 20)
#define KIB          1024ul
#define HOLD_MAX     MIB /* the bound on data per hold */
#define CLUSTERS_MAX 256 /* 1 MiB of 4 KiB clusters */
#define EXTEND_BYTES (100 * MIB)
#define XFER_BYTES   (64 * MIB)
#define FAIR_ROUNDS  5
#define FAIR_SLACK   (8 * MIB) /* the extender's most progress per round */
#define KILL_SLACK   (2 * MIB) /* ... and after a SIGKILL */
#define EXECS        100
#define EXEC_SLACK   10 /* long execs that may finish during the short */
#define HEAD_BYTES   100
#define SMALL_READ   4096
#define OTHER_BYTES  (8 * MIB)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void drop_caches(void)
{
    sc_check("drop_caches", sc_drop_caches() == 0, "errno %d", errno);
}

/* One number from /proc/ember, or -1. */
static long ember_stat(const char *key)
{
    return (long)sc_figure("/proc/ember", key);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static uint8_t pattern_byte(size_t i)
{
    return (uint8_t)(i * 7 + (i >> 12));
}

/* True if the n bytes at off of fd are all zero. */
static bool zeros_at(int fd, off_t off, size_t n)
{
    static uint8_t buf[SMALL_READ];
    if (n > sizeof buf || pread(fd, buf, n, off) != (ssize_t)n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (buf[i])
            return false;
    return true;
}

/* ---- holds ---- */

static void extend_once(void)
{
    int fd = open("ext.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char head[HEAD_BYTES];
    memset(head, 'h', sizeof head);
    sc_check("ext_open", fd >= 0 && write(fd, head, sizeof head) == HEAD_BYTES,
             "errno %d", errno);
    double t0 = now_ms();
    sc_ret("ext_ftruncate_100mib", ftruncate(fd, HEAD_BYTES + EXTEND_BYTES), 0);
    printf("bench: bound_ftruncate_100mib: %.0f ms\n", now_ms() - t0);
    sc_ret("ext_size", file_size("ext.bin"), (long)(HEAD_BYTES + EXTEND_BYTES));
    char back[HEAD_BYTES];
    sc_check("ext_head_kept",
             pread(fd, back, sizeof back, 0) == HEAD_BYTES &&
                 memcmp(back, head, sizeof head) == 0,
             "the first bytes changed");
    sc_check(
        "ext_zeros",
        zeros_at(fd, HEAD_BYTES, SMALL_READ) &&
            zeros_at(fd, 50 * MIB, SMALL_READ) &&
            zeros_at(fd, HEAD_BYTES + EXTEND_BYTES - SMALL_READ, SMALL_READ),
        "the extension is not zeros");
    /* Shrinking frees 100 MiB of clusters, in bounded steps, all of them
     * before the call returns. */
    struct statfs before, after;
    statfs(".", &before);
    sc_ret("ext_shrink", ftruncate(fd, HEAD_BYTES), 0);
    statfs(".", &after);
    long freed = (long)(after.f_bfree - before.f_bfree);
    long want = (long)(EXTEND_BYTES / after.f_bsize);
    sc_check("ext_shrink_freed", freed >= want, "%ld blocks freed, not %ld",
             freed, want);
    close(fd);
    sc_ret("ext_unlink", unlink("ext.bin"), 0);
}

static void transfer_once(void)
{
    uint8_t *buf = malloc(XFER_BYTES);
    if (!buf) {
        sc_check("xfer_malloc", false, "no memory");
        return;
    }
    for (size_t i = 0; i < XFER_BYTES; i++)
        buf[i] = pattern_byte(i);
    int fd = open("xfer.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    double t0 = now_ms();
    sc_ret("xfer_write_64mib", write(fd, buf, XFER_BYTES), (long)XFER_BYTES);
    sc_ret("xfer_fsync", fsync(fd), 0);
    printf("bench: bound_write_64mib_and_fsync: %.0f ms\n", now_ms() - t0);
    close(fd);
    drop_caches();
    memset(buf, 0, XFER_BYTES);
    fd = open("xfer.bin", O_RDONLY);
    t0 = now_ms();
    sc_ret("xfer_read_64mib", read(fd, buf, XFER_BYTES), (long)XFER_BYTES);
    printf("bench: bound_read_64mib_uncached: %.0f ms\n", now_ms() - t0);
    close(fd);
    size_t bad = 0;
    for (size_t i = 0; i < XFER_BYTES; i++)
        bad += buf[i] != pattern_byte(i);
    sc_check("xfer_read_back", bad == 0, "%zu bytes differ", bad);
    free(buf);
    sc_ret("xfer_unlink", unlink("xfer.bin"), 0);
}

static int run_child(const char *path, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(path, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void execs_once(void)
{
    int bad = 0;
    for (int i = 0; i < 10; i++) {
        drop_caches();
        char *argv[] = {"true", NULL};
        bad += run_child("/bin/true", argv) != 0;
    }
    sc_check("exec_true_10", bad == 0, "%d failed", bad);
}

static void check_hold(const char *op)
{
    char key[96];
    snprintf(key, sizeof key, "storage_max_hold_bytes_%s", op);
    long bytes = ember_stat(key);
    snprintf(key, sizeof key, "storage_max_hold_clusters_%s", op);
    long clusters = ember_stat(key);
    printf("hold: %s %ld bytes %ld clusters\n", op, bytes, clusters);
    snprintf(key, sizeof key, "hold_%s_bounded", op);
    sc_check(key,
             bytes >= 0 && bytes <= (long)HOLD_MAX && clusters >= 0 &&
                 clusters <= CLUSTERS_MAX,
             "%ld bytes, %ld clusters in one hold", bytes, clusters);
}

static int holds(void)
{
    extend_once();
    transfer_once();
    execs_once();
    sync();
    long all = ember_stat("storage_max_hold_bytes");
    long clusters = ember_stat("storage_max_hold_clusters");
    printf("hold: all %ld bytes %ld clusters in %ld holds\n", all, clusters,
           ember_stat("storage_holds"));
    sc_check("hold_all_bounded",
             all > 0 && all <= (long)HOLD_MAX && clusters > 0 &&
                 clusters <= CLUSTERS_MAX,
             "%ld bytes, %ld clusters", all, clusters);
    const char *ops[] = {"read", "write",     "truncate",
                         "page", "writeback", "other"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        check_hold(ops[i]);
    /* The counts saw the work: each kind moved data or allocated. */
    sc_check("hold_seen_truncate",
             ember_stat("storage_max_hold_clusters_truncate") > 0,
             "no extension step allocated a cluster");
    sc_check("hold_seen_write",
             ember_stat("storage_max_hold_clusters_write") > 0,
             "no write step allocated a cluster");
    sc_check("hold_seen_read", ember_stat("storage_max_hold_bytes_read") > 0,
             "no read step moved data");
    sc_check("hold_seen_page", ember_stat("storage_max_hold_bytes_page") > 0,
             "no exec page moved data");
    sc_check("hold_seen_writeback",
             ember_stat("storage_max_hold_bytes_writeback") > 0,
             "no writeback moved data");
    return sc_done();
}

/* ---- fair ---- */

/* The child: extends `path` by EXTEND_BYTES in one call, then exits. */
static pid_t start_extender(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    pid_t pid = fork();
    if (pid == 0) {
        int r = ftruncate(fd, EXTEND_BYTES);
        _exit(r == 0 ? 0 : 1);
    }
    close(fd);
    return pid;
}

static void make_other(void)
{
    static uint8_t chunk[64 * KIB];
    memset(chunk, 'o', sizeof chunk);
    int fd = open("other.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < OTHER_BYTES; done += sizeof chunk)
        ok = write(fd, chunk, sizeof chunk) == (ssize_t)sizeof chunk;
    sc_check("other_written", ok && fsync(fd) == 0, "errno %d", errno);
    close(fd);
}

/* One 4 KiB read of other.bin at round r, an offset not read before. */
static bool small_read(int r)
{
    int fd = open("other.bin", O_RDONLY);
    uint8_t buf[SMALL_READ];
    bool ok = fd >= 0 && pread(fd, buf, sizeof buf, (off_t)r * MIB + 8192) ==
                             (ssize_t)sizeof buf;
    ok = ok && buf[0] == 'o' && buf[SMALL_READ - 1] == 'o';
    if (fd >= 0)
        close(fd);
    return ok;
}

static int fair(void)
{
    make_other();
    drop_caches();
    pid_t pid = start_extender("grow.bin");
    sc_check("fair_fork", pid > 0, "errno %d", errno);
    long s = 0;
    while ((s = file_size("grow.bin")) >= 0 && s < (long)MIB)
        ; /* each stat lets the extender take one step */
    double worst_ms = 0;
    for (int r = 0; r < FAIR_ROUNDS; r++) {
        long s0 = file_size("grow.bin");
        struct stat st;
        double t0 = now_ms();
        bool ok = stat("/", &st) == 0 && small_read(r);
        double took = now_ms() - t0;
        worst_ms = took > worst_ms ? took : worst_ms;
        long s1 = file_size("grow.bin");
        printf("fair: round %d: the extender went from %ld to %ld\n", r, s0,
               s1);
        char name[32];
        snprintf(name, sizeof name, "fair_round_%d", r);
        sc_check(name,
                 ok && s0 > 0 && s1 >= s0 && s1 - s0 < (long)FAIR_SLACK &&
                     s1 < (long)EXTEND_BYTES,
                 "ok %d, %ld -> %ld (still growing: %d)", ok, s0, s1,
                 s1 < (long)EXTEND_BYTES);
    }
    printf("bench: bound_stat_and_read_during_extension_worst: %.1f ms\n",
           worst_ms);
    long k0 = file_size("grow.bin");
    double t0 = now_ms();
    sc_ret("kill", kill(pid, SIGKILL), 0);
    int status = 0;
    sc_ret("kill_reaped", waitpid(pid, &status, 0), pid);
    printf("bench: bound_sigkill_to_reaped_during_extension: %.1f ms\n",
           now_ms() - t0);
    long k1 = file_size("grow.bin");
    printf("fair: killed at %ld, stopped at %ld\n", k0, k1);
    sc_check("kill_by_sigkill", WIFSIGNALED(status) && WTERMSIG(status) == 9,
             "status %#x", status);
    sc_check("kill_within_2mib",
             k1 >= k0 && k1 - k0 < (long)KILL_SLACK && k1 < (long)EXTEND_BYTES,
             "%ld -> %ld", k0, k1);
    int fd = open("grow.bin", O_RDONLY);
    sc_check("kill_file_zeros",
             fd >= 0 && zeros_at(fd, 0, SMALL_READ) &&
                 zeros_at(fd, k1 - SMALL_READ, SMALL_READ),
             "not zeros");
    close(fd);
    printf("fair: grow.bin %ld\n", k1);
    return sc_done();
}

/* ---- execs ---- */

static int execs(const char *prog)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    int go[2];
    if (pipe(go) < 0)
        return 1;
    make_other();
    drop_caches();
    /*
     * The short child is the "unrelated child that slept": made
     * first, it blocks on a pipe until all 100 execs are under way, then
     * wakes; from then on fewer than EXEC_SLACK of them may finish first.
     */
    pid_t shortp = fork();
    if (shortp == 0) {
        char c;
        close(go[1]);
        bool ok = read(go[0], &c, 1) == 1;
        double t0 = now_ms();
        struct stat st;
        ok = ok && stat("/", &st) == 0 && small_read(3);
        write(p[1], ok ? "S\n" : "E\n", 2);
        printf("bench: bound_short_child_during_100_execs: %.1f ms\n",
               now_ms() - t0);
        _exit(0);
    }
    close(go[0]);
    int forked = 0;
    for (int i = 0; i < EXECS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            dup2(p[1], 1);
            close(p[0]);
            close(p[1]);
            char *argv[] = {"busybox", "echo", "L", NULL};
            execv(prog, argv);
            _exit(127);
        }
        forked += pid > 0;
    }
    sc_ret("execs_forked", forked, EXECS);
    write(p[1], "F\n", 2);
    write(go[1], "g", 1); /* wake the short child */
    close(go[1]);
    close(p[1]);
    char seq[4 * (EXECS + 2)];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof seq && (got = read(p[0], seq + n, sizeof seq - n)) > 0)
        n += (size_t)got;
    close(p[0]);
    int reaped = 0, failed = 0, status;
    pid_t w;
    while ((w = wait(&status)) > 0) {
        reaped++;
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    sc_ret("execs_reaped", reaped, EXECS + 1);
    sc_ret("execs_exit_0", failed, 0);
    int longs = 0, before = 0, during = 0, after = 0, state = 0;
    for (size_t i = 0; i < n; i++) {
        if (seq[i] == 'F')
            state = 1;
        else if (seq[i] == 'S' || seq[i] == 'E')
            state = 2;
        else if (seq[i] == 'L') {
            longs++;
            if (state == 0)
                before++;
            else if (state == 1)
                during++;
            else
                after++;
        }
    }
    printf("execs: %d long execs before the short child, %d during, %d "
           "after\n",
           before, during, after);
    sc_ret("execs_all_ran", longs, EXECS);
    sc_check("execs_short_ok", memchr(seq, 'S', n) != NULL,
             "the short child failed");
    sc_check("execs_contended", during + after >= EXEC_SLACK,
             "only %d long execs were left when the short child started",
             during + after);
    sc_check("execs_short_before_10", during < EXEC_SLACK,
             "%d long execs completed first", during);
    return sc_done();
}

/* ---- the power-cut loop's guest side ---- */

static uint32_t rng_next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/*
 * File i: LEN bytes from seed i, written to a temporary name, fsynced,
 * renamed over its final name (one of 8, so renames replace files), and
 * fsynced again (the rename is synced with the volume). Only then is the
 * line printed, so every printed file must be intact after a cut.
 */
static int powercut(long start, long count)
{
    static uint8_t buf[300 * KIB];
    for (long i = start; i < start + count; i++) {
        uint32_t s = (uint32_t)i * 2654435761u;
        size_t len = 1 + rng_next(&s) % sizeof buf;
        uint32_t ds = (uint32_t)i;
        for (size_t j = 0; j < len; j++)
            buf[j] = (uint8_t)rng_next(&ds);
        char name[32];
        snprintf(name, sizeof name, "pc%ld.tmp", i % 8);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd) != 0) {
            printf("powercut: write %ld failed (errno %d)\n", i, errno);
            return 1;
        }
        close(fd);
        char final[32];
        snprintf(final, sizeof final, "pc%ld.bin", i % 8);
        if (rename(name, final) != 0) {
            printf("powercut: rename %ld failed (errno %d)\n", i, errno);
            return 1;
        }
        fd = open(final, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) {
            printf("powercut: fsync %ld failed (errno %d)\n", i, errno);
            return 1;
        }
        close(fd);
        printf("synced %s %ld %zu\n", final, i, len);
    }
    printf("powercut: done\n");
    return 0;
}

int main(int argc, char **argv)
{
    sc_begin();
    if (argc >= 2 && strcmp(argv[1], "holds") == 0)
        return holds();
    if (argc >= 2 && strcmp(argv[1], "fair") == 0)
        return fair();
    if (argc >= 3 && strcmp(argv[1], "execs") == 0)
        return execs(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "powercut") == 0)
        return powercut(strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
    printf("usage: hostile_bound holds|fair|execs PATH|powercut START N\n");
    return 2;
}
