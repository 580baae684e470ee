/*
 * User-mode benchmarks, run inside Ember by `make bench` (and on Linux for
 * comparison): a null system call through each door, fork + execve + exit
 * + wait4 of a tiny program, a one-byte pipe ping-pong between two
 * processes, and a 16 MiB file written with fwrite (with and without
 * fsync) and read with fread in 64 KiB pieces, cold and warm.
 *
 * Each figure is printed as "bench: name: value unit", the format
 * tests/system/bench.py collects. Times come from clock_gettime
 * (CLOCK_MONOTONIC), which Ember derives from the TSC.
 *
 * Usage: bench_user [DIR]   (DIR: where to write the 16 MiB file)
 * See: docs/syscalls.md
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NULL_CALLS  20000
#define SPAWNS      50
#define PINGPONGS   2000
#define BIG_FILE_MB 16
#define CHUNK       (64 * 1024)

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void report(const char *name, double value, const char *unit)
{
    printf("bench: %s: %.2f %s\n", name, value, unit);
    fflush(stdout);
}

static void null_syscall(void)
{
    double t0 = now_ns();
    for (int i = 0; i < NULL_CALLS; i++)
        syscall(SYS_getppid);
    report("user_null_syscall", (now_ns() - t0) / NULL_CALLS, "ns");
}

/*
 * The seed's door: int 0x80 with call 11 (uptime), its cheapest call. Only
 * on Ember: on Linux int 0x80 is the i386 ABI, where 11 is execve.
 */
static void null_int80(void)
{
    struct utsname u;
    if (uname(&u) != 0 || strcmp(u.sysname, "Ember") != 0)
        return;
    double t0 = now_ns();
    for (int i = 0; i < NULL_CALLS; i++) {
        long r = 11;
        __asm__ volatile("int $0x80"
                         : "+a"(r)
                         :
                         : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
                           "memory");
    }
    report("user_null_int80", (now_ns() - t0) / NULL_CALLS, "ns");
}

static void spawn(const char *self)
{
    double t0 = now_ns();
    for (int i = 0; i < SPAWNS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl(self, self, "--exit", (char *)NULL);
            _exit(127);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("bench: spawn failed (status %d)\n", st);
            return;
        }
    }
    report("user_fork_exec_exit_wait", (now_ns() - t0) / SPAWNS / 1000, "us");
}

static void pingpong(void)
{
    int a[2], b[2];
    char c = 'x';
    if (pipe(a) || pipe(b))
        return;
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < PINGPONGS; i++) {
            if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    double t0 = now_ns();
    for (int i = 0; i < PINGPONGS; i++) {
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
            break;
    }
    double t = now_ns() - t0;
    waitpid(pid, NULL, 0);
    /* Each round trip is two switches. */
    report("user_pipe_pingpong", t / PINGPONGS / 2 / 1000, "us/switch");
}

/*
 * Asks the kernel to drop its clean caches, as Linux's drop_caches does, so
 * the next read comes from the disk. Returns false where there is no such
 * control (Ember, whose reads always come from the disk today).
 */
static bool drop_caches(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    if (fd < 0)
        return false;
    bool ok = write(fd, "3\n", 2) == 2;
    close(fd);
    return ok;
}

/* Reads path in CHUNK pieces with fread; returns MB/s (MiB, as before). */
static double read_pass(const char *path, char *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    double t0 = now_ns();
    size_t total = 0, n;
    while ((n = fread(buf, 1, CHUNK, f)) > 0)
        total += n;
    fclose(f);
    return (double)total / (1024 * 1024) / ((now_ns() - t0) / 1e9);
}

/*
 * The 16 MiB file: written with fwrite (to the page cache, where there is
 * one), written again with an fsync before the close (to the disk), read
 * cold (after dropping the caches) and warm (right after). The same work on
 * Ember and on Linux, for tools/linux-bench.py's comparison.
 */
static void big_file(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bench.bin", dir);
    char *buf = malloc(CHUNK);
    if (!buf)
        return;
    memset(buf, 0x5a, CHUNK);
    for (int synced = 0; synced <= 1; synced++) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return;
        double t0 = now_ns();
        for (int i = 0; i < BIG_FILE_MB * 16; i++)
            fwrite(buf, 1, CHUNK, f);
        fflush(f);
        if (synced)
            fsync(fileno(f));
        fclose(f);
        report(synced ? "user_fwrite_fsync_16mib" : "user_fwrite_16mib",
               BIG_FILE_MB / ((now_ns() - t0) / 1e9), "MB/s");
    }
    bool dropped = drop_caches();
    double cold = read_pass(path, buf);
    report("user_fread_16mib_cold", cold, dropped ? "MB/s" : "MB/s (no cache)");
    report("user_fread_16mib", read_pass(path, buf), "MB/s");
    free(buf);
}

/*
 * Runs argv with stdin from in_fd and stdout to out_fd (-1: unchanged);
 * the child closes every other descriptor above 2, so a pipe's write end
 * cannot stay open in the reader and keep it from seeing the end.
 */
static pid_t run(char *const argv[], int in_fd, int out_fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (in_fd >= 0)
            dup2(in_fd, 0);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        for (int fd = 3; fd < 64; fd++)
            close(fd);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/*
 * The shell tools' figures (issue #8): ls -l of a directory of 700 files,
 * cp of the 16 MiB file (cold: after dropping the caches), and the
 * pipeline cat big | wc -c. Only where there is a /bin/ls: Ember's tools,
 * or busybox's in tools/linux-bench.py's Linux.
 */
static void shell_tools(const char *dir)
{
    char big[256], copy[256], many[256];
    snprintf(big, sizeof big, "%s/bench.bin", dir);
    snprintf(copy, sizeof copy, "%s/bench2.bin", dir);
    snprintf(many, sizeof many, "%s/many", dir);
    int null = open("/dev/null", O_WRONLY);
    if (access("/bin/ls", X_OK) != 0 || null < 0)
        return;
    mkdir(many, 0755);
    for (int i = 0; i < 700; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s/file%03d.txt", many, i);
        close(open(name, O_WRONLY | O_CREAT, 0644));
    }
    char *ls[] = {"/bin/ls", "-l", many, NULL};
    double t0 = now_ns();
    waitpid(run(ls, -1, null), NULL, 0);
    report("shell_ls_l_700_files", (now_ns() - t0) / 1e6, "ms");

    char *cp[] = {"/bin/cp", big, copy, NULL};
    drop_caches(); /* cold, as the comparison with Linux needs */
    t0 = now_ns();
    waitpid(run(cp, -1, -1), NULL, 0);
    report("shell_cp_16mib", BIG_FILE_MB / ((now_ns() - t0) / 1e9), "MB/s");

    int p[2];
    if (pipe(p) != 0)
        return;
    char *cat[] = {"/bin/cat", big, NULL}, *wc[] = {"/bin/wc", "-c", NULL};
    t0 = now_ns();
    pid_t a = run(cat, -1, p[1]);
    pid_t b = run(wc, p[0], null);
    close(p[0]);
    close(p[1]);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    report("shell_cat_pipe_wc_16mib", BIG_FILE_MB / ((now_ns() - t0) / 1e9),
           "MB/s");
    unlink(copy);
    close(null);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exit") == 0)
        return 0;
    null_syscall();
    null_int80();
    spawn(argv[0]);
    pingpong();
    const char *dir = argc > 1 ? argv[1] : ".";
    big_file(dir);
    shell_tools(dir);
    char big[256];
    snprintf(big, sizeof big, "%s/bench.bin", dir);
    unlink(big);
    return 0;
}
