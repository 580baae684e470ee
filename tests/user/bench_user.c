/*
 * User-mode benchmarks, run inside Ember by `make bench` (and on Linux for
 * comparison): a null system call through each door, fork + execve + exit
 * + wait4 of a tiny program, a one-byte pipe ping-pong between two
 * processes, and a 16 MiB file read with fread in 64 KiB pieces.
 *
 * Each figure is printed as "bench: name: value unit", the format
 * tests/system/bench.py collects. Times come from clock_gettime
 * (CLOCK_MONOTONIC), which Ember derives from the TSC.
 *
 * Usage: bench_user [DIR]   (DIR: where to write the 16 MiB file)
 * See: docs/syscalls.md
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void big_read(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bench.bin", dir);
    char *buf = malloc(CHUNK);
    memset(buf, 0x5a, CHUNK);
    FILE *f = fopen(path, "wb");
    if (!f || !buf)
        return;
    double t0 = now_ns();
    for (int i = 0; i < BIG_FILE_MB * 16; i++)
        fwrite(buf, 1, CHUNK, f);
    fclose(f);
    report("user_fwrite_16mib", BIG_FILE_MB / ((now_ns() - t0) / 1e9), "MB/s");
    f = fopen(path, "rb");
    t0 = now_ns();
    size_t total = 0, n;
    while ((n = fread(buf, 1, CHUNK, f)) > 0)
        total += n;
    fclose(f);
    double mb = (double)total / (1024 * 1024);
    report("user_fread_16mib", mb / ((now_ns() - t0) / 1e9), "MB/s");
    unlink(path);
    free(buf);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exit") == 0)
        return 0;
    null_syscall();
    null_int80();
    spawn(argv[0]);
    pingpong();
    big_read(argc > 1 ? argv[1] : ".");
    return 0;
}
