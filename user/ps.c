/*
 * ps: every process, from /proc: its id, state, share of the CPU, memory
 * and command line.
 *
 * Each /proc/<pid>/stat gives the state (R running, S sleeping, Z zombie),
 * the CPU time used (utime + stime) and the start time, in ticks of 1/100
 * s, the virtual size and the resident pages. CPU% is the time used over
 * the time since the process started, as procps's ps computes it, held to
 * 100: on one CPU a process cannot run longer than it has lived, and the
 * 1/100 s ticks of both figures would otherwise make a process started a
 * moment ago show 200% or more. MEM is the resident size in KiB. The
 * command is /proc/<pid>/cmdline, or the name in stat in brackets when
 * that is empty (a zombie).
 *
 * `ps aux` (or any argument with u) prints procps's user-oriented columns
 * instead: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND, with
 * START the wall-clock time the process started and TIME its CPU time.
 *
 * See: docs/userland.md
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "usage.h"

#define CLK_TCK     100 /* musl's sysconf(_SC_CLK_TCK), and /proc's unit */
#define PAGE_KIB    4
#define KIB         1024
#define STAT_MAX    1024
#define CMDLINE_MAX 256
#define PERCENT     100
#define TENTHS      10

#define USAGE     "usage: ps [aux]\n"
#define SECS_MIN  60
#define SECS_DAY  86400
#define MINS_HOUR 60

struct proc {
    int pid;
    char state;
    int tty;
    unsigned long long cpu_ticks, start_ticks, vsize;
    long rss_pages;
    char name[64];
};

static double uptime_s(void)
{
    double up = 0;
    FILE *f = fopen("/proc/uptime", "r");
    if (f) {
        if (fscanf(f, "%lf", &up) != 1)
            up = 0;
        fclose(f);
    }
    return up;
}

/* Reads /proc/<pid>/stat; false if the process is gone. */
static bool read_stat(int pid, struct proc *p)
{
    char path[64], buf[STAT_MAX];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* "pid (name) S ppid ...": the name may hold spaces, so find ')'. */
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close)
        return false;
    snprintf(p->name, sizeof p->name, "%.*s", (int)(close - open - 1),
             open + 1);
    p->pid = pid;
    unsigned long long f14, f15, f22;
    long f24;
    /* fields 3..24 after the name: state, then 20 numbers */
    int got = sscanf(close + 2,
                     "%c %*d %*d %*d %d %*d %*u %*u %*u %*u %*u %llu %llu "
                     "%*d %*d %*d %*d %*d %*d %llu %llu %ld",
                     &p->state, &p->tty, &f14, &f15, &f22, &p->vsize, &f24);
    if (got != 7)
        return false;
    p->cpu_ticks = f14 + f15;
    p->start_ticks = f22;
    p->rss_pages = f24;
    return true;
}

static void command_of(const struct proc *p, char *out, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", p->pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(out, 1, cap - 1, f) : 0;
    if (f)
        fclose(f);
    if (n == 0) {
        snprintf(out, cap, "[%s]", p->name);
        return;
    }
    for (size_t i = 0; i + 1 < n; i++)
        if (out[i] == '\0')
            out[i] = ' '; /* arguments are NUL-separated */
    out[n] = '\0';
}

static int by_pid(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* The process's share of the CPU since it started, in tenths of a %. */
static long cpu_tenths(const struct proc *p, double up)
{
    double alive = up - (double)p->start_ticks / CLK_TCK;
    double cpu = alive > 0 ? (double)p->cpu_ticks / CLK_TCK / alive : 0;
    long tenths = (long)(cpu * PERCENT * TENTHS);
    return tenths > PERCENT * TENTHS ? PERCENT * TENTHS : tenths;
}

static long mem_total_kib(void)
{
    long kib = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        if (fscanf(f, "MemTotal: %ld", &kib) != 1)
            kib = 0;
        fclose(f);
    }
    return kib;
}

/* One line of `ps aux`. */
static void print_aux(const struct proc *p, const char *cmd, double up,
                      long mem_kib)
{
    long cpu = cpu_tenths(p, up), rss = p->rss_pages * PAGE_KIB;
    long mem = mem_kib ? rss * PERCENT * TENTHS / mem_kib : 0;
    time_t started =
        time(NULL) - (time_t)up + (time_t)(p->start_ticks / CLK_TCK);
    struct tm tm;
    gmtime_r(&started, &tm);
    unsigned long long cpu_s = p->cpu_ticks / CLK_TCK;
    printf("%-8s %5d %2ld.%ld %2ld.%ld %6llu %5ld %-8s %-4c %02d:%02d "
           "%3llu:%02llu %s\n",
           "root", p->pid, cpu / TENTHS, cpu % TENTHS, mem / TENTHS,
           mem % TENTHS, p->vsize / KIB, rss, p->tty ? "console" : "?",
           p->state, tm.tm_hour, tm.tm_min, cpu_s / SECS_MIN, cpu_s % SECS_MIN,
           cmd);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool aux = argc == 2 && strspn(argv[1], "-aux") == strlen(argv[1]) &&
               strchr(argv[1], 'u');
    if (argc > 2 ||
        (argc == 2 && !aux && strspn(argv[1], "-aex") != strlen(argv[1])))
        usage_fail(USAGE, 1);
    DIR *d = opendir("/proc");
    if (!d) {
        fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
        return 1;
    }
    int *pids = NULL, n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        int *more = realloc(pids, sizeof *pids * (size_t)(n + 1));
        if (!more)
            break;
        pids = more;
        pids[n++] = atoi(e->d_name);
    }
    closedir(d);
    qsort(pids, (size_t)n, sizeof *pids, by_pid);
    double up = uptime_s();
    long mem_kib = mem_total_kib();
    if (aux)
        printf("USER       PID %%CPU %%MEM    VSZ   RSS TTY      STAT START   "
               "TIME COMMAND\n");
    else
        printf("  PID S  %%CPU   MEM(K) COMMAND\n");
    for (int i = 0; i < n; i++) {
        struct proc p;
        char cmd[CMDLINE_MAX];
        if (!read_stat(pids[i], &p))
            continue;
        command_of(&p, cmd, sizeof cmd);
        long tenths = cpu_tenths(&p, up);
        if (aux)
            print_aux(&p, cmd, up, mem_kib);
        else
            printf("%5d %c %3ld.%ld %8ld %s\n", p.pid, p.state, tenths / TENTHS,
                   tenths % TENTHS, p.rss_pages * PAGE_KIB, cmd);
    }
    free(pids);
    return 0;
}
