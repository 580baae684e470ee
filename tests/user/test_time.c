/*
 * Differential test: clocks, sleeping, and what a program learns about the
 * system (uname, sysinfo, limits, ids).
 *
 * Times themselves differ between runs, so the cases compare results,
 * orderings and bounds: a clock call succeeds, monotonic time does not go
 * back, a 50 ms sleep takes at least 50 ms and less than a second, the
 * wall clock is after 2020. Values that are the system's own (its name,
 * memory size, clock resolution, uid) are "~ " lines.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ucheck.h"

#define YEAR_2020  1577836800l /* 2020-01-01T00:00:00Z */
#define NS_PER_MS  1000000l
#define NS_PER_SEC 1000000000l

static long ms_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000 +
           (b->tv_nsec - a->tv_nsec) / NS_PER_MS;
}

static void clocks(void)
{
    static const struct {
        const char *name;
        clockid_t id;
    } ids[] = {
        {"CLOCK_REALTIME", CLOCK_REALTIME},
        {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
        {"CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID},
        {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
        {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
        {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
        {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
    };
    struct timespec ts;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int r = clock_gettime(ids[i].id, &ts);
        uc_val(ids[i].name, "%d %d", r,
               ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC);
    }
    uc_ret("clock bad id", clock_gettime(100, &ts));
    uc_ret("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &ts));
    uc_note("monotonic resolution %ld ns", ts.tv_nsec);

    clock_gettime(CLOCK_REALTIME, &ts);
    uc_val("realtime after 2020", "%d", ts.tv_sec > YEAR_2020);
    uc_val("time() after 2020", "%d", time(NULL) > YEAR_2020);
    struct timeval tv;
    uc_ret("gettimeofday", gettimeofday(&tv, NULL));
    uc_val("gettimeofday near realtime", "%d",
           labs(tv.tv_sec - ts.tv_sec) <= 2 && tv.tv_usec < 1000000);

    struct timespec a, b;
    int back = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 10000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        back |= ms_between(&a, &b) < 0;
        a = b;
    }
    uc_val("monotonic never goes back", "%d", !back);
}

static void sleeping(void)
{
    struct timespec a, b, req = {0, 50 * NS_PER_MS};
    clock_gettime(CLOCK_MONOTONIC, &a);
    uc_ret("nanosleep 50 ms", nanosleep(&req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = ms_between(&a, &b);
    uc_val("slept at least 50 ms", "%d", ms >= 50);
    uc_val("slept under 1 s", "%d", ms < 1000);
    uc_note("slept %ld ms", ms);
    req.tv_nsec = NS_PER_SEC;
    uc_ret("nanosleep nsec too big", nanosleep(&req, NULL));
    req.tv_sec = -1;
    req.tv_nsec = 0;
    uc_ret("nanosleep negative", nanosleep(&req, NULL));
    req.tv_sec = 0;
    uc_ret("nanosleep zero", nanosleep(&req, NULL));
    uc_ret("usleep 1 ms", usleep(1000));
    uc_ret("sched_yield", sched_yield());

    struct tm tm;
    time_t t = 1700000000;
    gmtime_r(&t, &tm);
    uc_val("gmtime of 1700000000", "%d-%02d-%02d %02d:%02d:%02d",
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
           tm.tm_sec);
}

static void system_facts(void)
{
    struct utsname u;
    uc_ret("uname", uname(&u));
    uc_val("machine", "%s", u.machine);
    uc_note("uname %s %s %s", u.sysname, u.nodename, u.release);

    struct sysinfo si;
    uc_ret("sysinfo", sysinfo(&si));
    uc_val("sysinfo sane", "%d",
           si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit > 0);
    uc_note("ram %lu free %lu unit %u procs %u", si.totalram, si.freeram,
            si.mem_unit, si.procs);

    struct rlimit rl;
    uc_ret("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &rl));
    uc_val("NOFILE cur <= max", "%d", rl.rlim_cur <= rl.rlim_max);
    uc_ret("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl));
    uc_ret("getrlimit bad", getrlimit(1000, &rl));
    uc_val("page size", "%ld", sysconf(_SC_PAGESIZE));
    uc_val("clock ticks", "%ld", sysconf(_SC_CLK_TCK));
    uc_val("ids agree", "%d", getuid() == geteuid() && getgid() == getegid());
    uc_note("uid %d gid %d", getuid(), getgid());
    mode_t old = umask(027);
    uc_val("umask returns old", "%d", umask(old) == 027);
}

/* Calls glibc-static programs make for want of a vDSO, and a few more. */
static void small_calls(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long t1 = 0;
    long t = syscall(SYS_time, &t1);
    uc_val("time stored and returned", "%d", t == t1);
    uc_val("time near the clock", "%d", labs(t - (long)ts.tv_sec) <= 2);
    uc_ret("time bad pointer", syscall(SYS_time, (void *)8));

    gid_t g[64];
    int n = getgroups(0, NULL);
    uc_val("getgroups counts agree", "%d", n >= 0 && getgroups(64, g) == n);
    uc_ret("getgroups negative", getgroups(-1, g));

    struct rusage ru;
    uc_ret("getrusage self", getrusage(RUSAGE_SELF, &ru));
    uc_ret("getrusage children", getrusage(RUSAGE_CHILDREN, &ru));
    uc_ret("getrusage bad who", getrusage(5, &ru));
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    do
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    while ((c1.tv_sec - c0.tv_sec) * 1000000000L + c1.tv_nsec - c0.tv_nsec <
           50000000L);
    getrusage(RUSAGE_SELF, &ru);
    uc_val("getrusage counts spinning", "%d",
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec +
                   ru.ru_stime.tv_usec >
               0);

    char name[32] = {0};
    uc_ret("prctl set name", prctl(PR_SET_NAME, "a-rather-long-name"));
    uc_ret("prctl get name", prctl(PR_GET_NAME, name));
    uc_val("prctl name", "%s", name);
    uc_ret("prctl unknown", prctl(9999, 0, 0, 0, 0));
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    clocks();
    sleeping();
    system_facts();
    small_calls();
    return uc_close();
}
