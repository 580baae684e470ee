/*
 * ps: every process, from /proc: its id, state, share of the CPU, memory
 * and command line.
 *
 * Each /proc/<pid>/stat gives the state (R running, S sleeping, Z zombie),
 * the CPU time used (utime + stime) and the start time, in ticks of 1/100
 * s, and the resident pages. CPU% is the time used over the time since
 * the process started, as procps's ps computes it; MEM is the resident
 * size in KiB. The command is /proc/<pid>/cmdline, or the name in stat in
 * brackets when that is empty (a zombie).
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
#include <unistd.h>

#define CLK_TCK     100 /* musl's sysconf(_SC_CLK_TCK), and /proc's unit */
#define PAGE_KIB    4
#define STAT_MAX    1024
#define CMDLINE_MAX 256
#define PERCENT     100
#define TENTHS      10

struct proc {
    int pid;
    char state;
    unsigned long long cpu_ticks, start_ticks;
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
                     "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
                     "%*d %*d %*d %*d %*d %*d %llu %*u %ld",
                     &p->state, &f14, &f15, &f22, &f24);
    if (got != 5)
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

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 1;
    }
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
        pids = realloc(pids, sizeof *pids * (size_t)(n + 1));
        pids[n++] = atoi(e->d_name);
    }
    closedir(d);
    qsort(pids, (size_t)n, sizeof *pids, by_pid);
    double up = uptime_s();
    printf("  PID S  %%CPU   MEM(K) COMMAND\n");
    for (int i = 0; i < n; i++) {
        struct proc p;
        char cmd[CMDLINE_MAX];
        if (!read_stat(pids[i], &p))
            continue;
        double alive = up - (double)p.start_ticks / CLK_TCK;
        double cpu = alive > 0 ? (double)p.cpu_ticks / CLK_TCK / alive : 0;
        long tenths = (long)(cpu * PERCENT * TENTHS);
        command_of(&p, cmd, sizeof cmd);
        printf("%5d %c %3ld.%ld %8ld %s\n", p.pid, p.state, tenths / TENTHS,
               tenths % TENTHS, p.rss_pages * PAGE_KIB, cmd);
    }
    free(pids);
    return 0;
}
