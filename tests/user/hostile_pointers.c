/*
 * Hostile pointers: every pointer-taking call of both doors, handed kernel,
 * non-canonical, wrapping, too-low and unmapped addresses, huge lengths and
 * memory the program may not use that way, must answer -EFAULT.
 *
 * Calls go in by hand (raw `syscall` and `int 0x80`), so musl checks
 * nothing first and rax comes back unchanged. Each call is described once
 * in a table with the argument slot that carries the bad pointer, and is
 * made once per bad address. Then the cases that need more than a bad
 * address: ranges that start in the user half but run past USER_TOP or
 * wrap, memory the program may not write (its own text, a read-only
 * mapping) or read at all (a PROT_NONE page the kernel could still reach),
 * execve's argument vectors (in a child, so a wrongly accepted execve
 * cannot replace this program), pipe's and wait4's results, and mappings
 * asked for in the kernel half. Every case that must succeed with a good
 * pointer is checked with one first, so no check passes because the call
 * fails for some other reason. The kernel must live through all of it: the
 * system test (tests/system/test_hostile.py) sees init report status 0 and
 * a clean power-off.
 *
 * See: docs/syscalls.md, kernel/mm/user_copy.c, tests/user/scheck.h
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ember/limits.h>
#include <ember/syscall_seed.h>

#include "scheck.h"

#define PAGE         4096ul
#define KADDR        0xffffffff80100000ul /* the kernel's text */
#define NONCANON     0x0000800000000000ul /* just past the user half */
#define WRAPS        0xfffffffffffff000ul /* the last page of the address space */
#define LOW          0x1000ul             /* below USER_BOTTOM */
#define TCGETS       0x5401
#define TCSETS       0x5402
#define TIOCGPGRP    0x540f
#define TIOCSPGRP    0x5410
#define TIOCGWINSZ   0x5413
#define ARCH_GET_FS  0x1003
#define SIGSET_BYTES 8

/* The Linux door: number in rax, rdi, rsi, rdx, r10, r8, r9; rax back. */
static long lx(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret = nr;
    __asm__ volatile("syscall"
                     : "+a"(ret), "+D"(a), "+S"(b), "+d"(c), "+r"(r10),
                       "+r"(r8), "+r"(r9)
                     :
                     : "rcx", "r11", "memory", "cc");
    return ret;
}

/* One call: its door, number, arguments, and the slot a bad pointer takes. */
struct pcall {
    const char *name;
    bool seed;
    long nr;
    long arg[6];
    int slot;
};

static long do_call(const struct pcall *c, long ptr)
{
    long a[6];
    memcpy(a, c->arg, sizeof a);
    a[c->slot] = ptr;
    if (c->seed)
        return seed_call(c->nr, a[0], a[1], a[2]);
    return lx(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * Addresses in the user half with nothing usable there: a page no region
 * covers (16 TiB, far from the program, its break and mmap's area, which
 * grows down from the top), and two pages of a PROT_NONE mapping, one never
 * touched and one written before mprotect() took its rights away.
 */
#define UNMAPPED 0x0000100000000000ul
static const uintptr_t unmapped = UNMAPPED;
static uintptr_t prot_none, prot_none_touched;

static void bad_addresses(const struct pcall *calls, int n)
{
    const struct {
        const char *what;
        uintptr_t addr;
    } bad[] = {
        {"kernel", KADDR},        {"noncanonical", NONCANON},
        {"wrapping", WRAPS},      {"low", LOW},
        {"unmapped", unmapped},   {"kernel_top", 0xfffffffffffffff0ul},
        {"prot_none", prot_none}, {"prot_none_touched", prot_none_touched},
    };
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
            char name[96];
            snprintf(name, sizeof name, "%s_%s_%s",
                     calls[i].seed ? "seed" : "linux", calls[i].name,
                     bad[j].what);
            sc_ret(name, do_call(&calls[i], (long)bad[j].addr), -EFAULT);
        }
    }
}

static int zero_fd, null_fd, file_fd, dir_fd;
static int fword; /* a futex word nobody changes */
#define FUTEX_WAIT_PRIV        128
#define FUTEX_CMP_REQUEUE_PRIV 132
static char good[PAGE] __attribute__((aligned(PAGE)));
static struct stat st;

/* The calls whose one bad pointer is all they need. */
static void pointer_table(void)
{
    static struct iovec iov;
    const long AT_CWD = AT_FDCWD, G = (long)good;
    iov = (struct iovec){good, 16};
    const struct pcall calls[] = {
        {"read", 0, SYS_read, {zero_fd, 0, 16}, 1},
        {"write", 0, SYS_write, {null_fd, 0, 16}, 1},
        {"readv_vector", 0, SYS_readv, {zero_fd, 0, 1}, 1},
        {"writev_vector", 0, SYS_writev, {null_fd, 0, 1}, 1},
        {"pread64", 0, SYS_pread64, {file_fd, 0, 16, 0}, 1},
        {"pwrite64", 0, SYS_pwrite64, {file_fd, 0, 16, 0}, 1},
        {"open", 0, SYS_open, {0, O_RDONLY}, 0},
        {"openat", 0, SYS_openat, {AT_CWD, 0, O_RDONLY}, 1},
        {"stat_path", 0, SYS_stat, {0, (long)&st}, 0},
        {"stat_buf", 0, SYS_stat, {(long)"/", 0}, 1},
        {"lstat_path", 0, SYS_lstat, {0, (long)&st}, 0},
        {"fstat_buf", 0, SYS_fstat, {file_fd, 0}, 1},
        {"newfstatat_path", 0, SYS_newfstatat, {AT_CWD, 0, (long)&st, 0}, 1},
        {"newfstatat_buf", 0, SYS_newfstatat, {AT_CWD, (long)"/", 0, 0}, 2},
        {"access", 0, SYS_access, {0, F_OK}, 0},
        {"faccessat", 0, SYS_faccessat, {AT_CWD, 0, F_OK}, 1},
        {"mkdir", 0, SYS_mkdir, {0, 0755}, 0},
        {"mkdirat", 0, SYS_mkdirat, {AT_CWD, 0, 0755}, 1},
        {"rmdir", 0, SYS_rmdir, {0}, 0},
        {"unlink", 0, SYS_unlink, {0}, 0},
        {"unlinkat", 0, SYS_unlinkat, {AT_CWD, 0, 0}, 1},
        {"rename_from", 0, SYS_rename, {0, (long)"hp-new"}, 0},
        {"rename_to", 0, SYS_rename, {(long)"hp.txt", 0}, 1},
        {"renameat_to",
         0,
         SYS_renameat,
         {AT_CWD, (long)"hp.txt", AT_CWD, 0},
         3},
        {"chdir", 0, SYS_chdir, {0}, 0},
        {"symlink_target", 0, SYS_symlink, {0, (long)"hp-link"}, 0},
        {"symlink_path", 0, SYS_symlink, {(long)"hp.txt", 0}, 1},
        {"symlinkat_path", 0, SYS_symlinkat, {(long)"hp.txt", AT_CWD, 0}, 2},
        {"link_from", 0, SYS_link, {0, (long)"hp-link"}, 0},
        {"link_to", 0, SYS_link, {(long)"hp.txt", 0}, 1},
        {"linkat_to", 0, SYS_linkat, {AT_CWD, (long)"hp.txt", AT_CWD, 0}, 3},
        {"chmod", 0, SYS_chmod, {0, 0644}, 0},
        {"fchmodat", 0, SYS_fchmodat, {AT_CWD, 0, 0644}, 1},
        {"chown", 0, SYS_chown, {0, 0, 0}, 0},
        {"lchown", 0, SYS_lchown, {0, 0, 0}, 0},
        {"fchownat", 0, SYS_fchownat, {AT_CWD, 0, 0, 0, 0}, 1},
        {"utimensat_path", 0, SYS_utimensat, {AT_CWD, 0, 0, 0}, 1},
        {"utimensat_times",
         0,
         SYS_utimensat,
         {AT_CWD, (long)"hp.txt", 0, 0},
         2},
        {"mount_source",
         0,
         SYS_mount,
         {0, (long)"/nonexistent", (long)"tmpfs", 0, 0},
         0},
        {"mount_target",
         0,
         SYS_mount,
         {(long)"none", 0, (long)"tmpfs", 0, 0},
         1},
        {"mount_type",
         0,
         SYS_mount,
         {(long)"none", (long)"/nonexistent", 0, 0, 0},
         2},
        {"mount_data",
         0,
         SYS_mount,
         {(long)"none", (long)"/nonexistent", (long)"tmpfs", 0, 0},
         4},
        {"umount2", 0, SYS_umount2, {0, 0}, 0},
        {"statfs_path", 0, SYS_statfs, {0, G}, 0},
        {"statfs_buf", 0, SYS_statfs, {(long)"/", 0}, 1},
        {"fstatfs_buf", 0, SYS_fstatfs, {file_fd, 0}, 1},
        {"truncate", 0, SYS_truncate, {0, 0}, 0},
        {"readlink_path", 0, SYS_readlink, {0, G, 16}, 0},
        {"execve_path", 0, SYS_execve, {0, 0, 0}, 0},
        {"getcwd", 0, SYS_getcwd, {0, 4096}, 0},
        {"pipe", 0, SYS_pipe, {0}, 0},
        {"pipe2", 0, SYS_pipe2, {0, 0}, 0},
        {"clock_gettime", 0, SYS_clock_gettime, {CLOCK_MONOTONIC, 0}, 1},
        {"clock_getres", 0, SYS_clock_getres, {CLOCK_MONOTONIC, 0}, 1},
        {"gettimeofday", 0, SYS_gettimeofday, {0, 0}, 0},
        {"nanosleep", 0, SYS_nanosleep, {0, 0}, 0},
        {"clock_nanosleep",
         0,
         SYS_clock_nanosleep,
         {CLOCK_MONOTONIC, 0, 0, 0},
         2},
        {"times", 0, SYS_times, {0}, 0},
        {"time", 0, SYS_time, {0}, 0},
        {"getgroups", 0, SYS_getgroups, {4, 0}, 1},
        {"getrusage", 0, SYS_getrusage, {RUSAGE_SELF, 0}, 1},
        {"prctl_set_name", 0, SYS_prctl, {PR_SET_NAME, 0}, 1},
        {"prctl_get_name", 0, SYS_prctl, {PR_GET_NAME, 0}, 1},
        {"sendfile_offset", 0, SYS_sendfile, {null_fd, file_fd, 0, 16}, 2},
        {"uname", 0, SYS_uname, {0}, 0},
        {"sched_getaffinity", 0, SYS_sched_getaffinity, {0, 8, 0}, 2},
        {"sched_setaffinity", 0, SYS_sched_setaffinity, {0, 8, 0}, 2},
        {"mknod", 0, SYS_mknod, {0, S_IFIFO | 0644, 0}, 0},
        {"mknodat", 0, SYS_mknodat, {AT_CWD, 0, S_IFIFO | 0644, 0}, 1},
        {"sysinfo", 0, SYS_sysinfo, {0}, 0},
        {"getrlimit", 0, SYS_getrlimit, {RLIMIT_NOFILE, 0}, 1},
        {"prlimit64_old", 0, SYS_prlimit64, {0, RLIMIT_NOFILE, 0, 0}, 3},
        {"prlimit64_new", 0, SYS_prlimit64, {0, RLIMIT_NOFILE, 0, 0}, 2},
        {"getdents64", 0, SYS_getdents64, {dir_fd, 0, 4096}, 1},
        {"rt_sigaction_act",
         0,
         SYS_rt_sigaction,
         {SIGUSR1, 0, 0, SIGSET_BYTES},
         1},
        {"rt_sigaction_old",
         0,
         SYS_rt_sigaction,
         {SIGUSR1, 0, 0, SIGSET_BYTES},
         2},
        {"rt_sigprocmask_set",
         0,
         SYS_rt_sigprocmask,
         {SIG_BLOCK, 0, 0, SIGSET_BYTES},
         1},
        {"rt_sigprocmask_old",
         0,
         SYS_rt_sigprocmask,
         {SIG_BLOCK, 0, 0, SIGSET_BYTES},
         2},
        {"rt_sigpending", 0, SYS_rt_sigpending, {0, SIGSET_BYTES}, 0},
        {"rt_sigsuspend", 0, SYS_rt_sigsuspend, {0, SIGSET_BYTES}, 0},
        {"rt_sigtimedwait_set",
         0,
         SYS_rt_sigtimedwait,
         {0, 0, 0, SIGSET_BYTES},
         0},
        {"rt_sigtimedwait_time",
         0,
         SYS_rt_sigtimedwait,
         {G, 0, 0, SIGSET_BYTES},
         2},
        {"sigaltstack_new", 0, SYS_sigaltstack, {0, 0}, 0},
        {"sigaltstack_old", 0, SYS_sigaltstack, {0, 0}, 1},
        {"setitimer_new", 0, SYS_setitimer, {ITIMER_REAL, 0, 0}, 1},
        {"getitimer", 0, SYS_getitimer, {ITIMER_REAL, 0}, 1},
        {"poll_fds", 0, SYS_poll, {0, 1, 0}, 0},
        {"ppoll_fds", 0, SYS_ppoll, {0, 1, 0, 0, SIGSET_BYTES}, 0},
        {"ppoll_time", 0, SYS_ppoll, {G, 1, 0, 0, SIGSET_BYTES}, 2},
        {"ppoll_mask", 0, SYS_ppoll, {G, 1, 0, 0, SIGSET_BYTES}, 3},
        {"select_set", 0, SYS_select, {1, 0, 0, 0, 0}, 1},
        {"select_time", 0, SYS_select, {1, G, 0, 0, 0}, 4},
        {"pselect6_time", 0, SYS_pselect6, {1, G, 0, 0, 0, 0}, 4},
        {"pselect6_mask", 0, SYS_pselect6, {1, G, 0, 0, 0, 0}, 5},
        {"ioctl_tcgets", 0, SYS_ioctl, {1, TCGETS, 0}, 2},
        {"ioctl_tcsets", 0, SYS_ioctl, {1, TCSETS, 0}, 2},
        {"ioctl_tiocgwinsz", 0, SYS_ioctl, {1, TIOCGWINSZ, 0}, 2},
        {"ioctl_tiocgpgrp", 0, SYS_ioctl, {1, TIOCGPGRP, 0}, 2},
        {"ioctl_tiocspgrp", 0, SYS_ioctl, {1, TIOCSPGRP, 0}, 2},
        {"arch_prctl_get_fs", 0, SYS_arch_prctl, {ARCH_GET_FS, 0}, 1},
        {"getrandom", 0, SYS_getrandom, {0, 16, 0}, 0},
        {"futex_word", 0, SYS_futex, {0, FUTEX_WAIT_PRIV, 0, 0}, 0},
        {"futex_timeout",
         0,
         SYS_futex,
         {(long)&fword, FUTEX_WAIT_PRIV, 0, 0},
         3},
        {"futex_cmp_requeue",
         0,
         SYS_futex,
         {0, FUTEX_CMP_REQUEUE_PRIV, 1, 0, (long)&fword, 0},
         0},
        {"read_file_path", 1, SEED_SYS_READ_FILE, {0, G, 16}, 0},
        {"read_file_buf", 1, SEED_SYS_READ_FILE, {(long)"hp.txt", 0, 16}, 1},
        {"write_file_path", 1, SEED_SYS_WRITE_FILE, {0, G, 16}, 0},
        {"write_file_buf", 1, SEED_SYS_WRITE_FILE, {(long)"hpw.txt", 0, 16}, 1},
        {"blit", 1, SEED_SYS_BLIT, {0, 16 | 16l << 32}, 0},
        {"open", 1, SEED_SYS_OPEN, {0, O_RDONLY}, 0},
        {"read", 1, SEED_SYS_READ, {zero_fd, 0, 16}, 1},
        {"mkdir", 1, SEED_SYS_MKDIR, {0}, 0},
        {"remove", 1, SEED_SYS_REMOVE, {0}, 0},
        {"rename_from", 1, SEED_SYS_RENAME, {0, (long)"hp-new"}, 0},
        {"rename_to", 1, SEED_SYS_RENAME, {(long)"hp.txt", 0}, 1},
    };
    bad_addresses(calls, sizeof calls / sizeof calls[0]);

    /* A good vector whose buffer is bad. */
    const struct pcall vec[] = {
        {"readv_buffer", 0, SYS_readv, {zero_fd, (long)&iov, 1}, 1},
        {"writev_buffer", 0, SYS_writev, {null_fd, (long)&iov, 1}, 1},
    };
    for (int i = 0; i < 2; i++) {
        iov.iov_base = (void *)KADDR;
        char name[64];
        snprintf(name, sizeof name, "linux_%s_kernel", vec[i].name);
        sc_ret(name, lx(vec[i].nr, vec[i].arg[0], (long)&iov, 1, 0, 0, 0),
               -EFAULT);
        iov.iov_base = (void *)unmapped;
        snprintf(name, sizeof name, "linux_%s_unmapped", vec[i].name);
        sc_ret(name, lx(vec[i].nr, vec[i].arg[0], (long)&iov, 1, 0, 0, 0),
               -EFAULT);
        iov = (struct iovec){good, ~0ul / 2};
        snprintf(name, sizeof name, "linux_%s_huge_length", vec[i].name);
        sc_ret(name, lx(vec[i].nr, vec[i].arg[0], (long)&iov, 1, 0, 0, 0),
               -EFAULT);
        iov = (struct iovec){good, 16};
    }
}

/* The same calls with good pointers work: the checks above can fail. */
static void good_pointers_work(const char *when)
{
    char buf[64], name[64];
    struct timespec ts;
    const struct {
        const char *what;
        long got, want;
    } c[] = {
        {"read", lx(SYS_read, zero_fd, (long)buf, 16, 0, 0, 0), 16},
        {"uname", lx(SYS_uname, (long)good, 0, 0, 0, 0, 0), 0},
        {"stat", lx(SYS_stat, (long)"hp.txt", (long)&st, 0, 0, 0, 0), 0},
        {"seed_read_file",
         seed_call(SEED_SYS_READ_FILE, (long)"hp.txt", (long)buf, 16), 16},
        {"clock_gettime",
         lx(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0), 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        snprintf(name, sizeof name, "good_pointer_%s_works_%s", c[i].what,
                 when);
        sc_ret(name, c[i].got, c[i].want);
    }
}

/* Ranges that start in the user half and do not end there. */
static void huge_and_wrapping(void)
{
    const long top = (long)USER_TOP;
    sc_ret("read_huge_length", lx(SYS_read, zero_fd, (long)good, ~0l, 0, 0, 0),
           -EFAULT);
    sc_ret("read_length_2_47",
           lx(SYS_read, zero_fd, (long)good, 1l << 47, 0, 0, 0), -EFAULT);
    sc_ret("read_past_user_top", lx(SYS_read, zero_fd, top - 8, 16, 0, 0, 0),
           -EFAULT);
    sc_ret("read_wrapping_length",
           lx(SYS_read, zero_fd, (long)good, -(long)good + 64, 0, 0, 0),
           -EFAULT);
    sc_ret("write_huge_length",
           lx(SYS_write, null_fd, (long)good, ~0l, 0, 0, 0), -EFAULT);
    sc_ret("write_past_user_top", lx(SYS_write, null_fd, top - 8, 16, 0, 0, 0),
           -EFAULT);
    sc_ret("getdents64_huge_length",
           lx(SYS_getdents64, dir_fd, (long)good, (long)(~0ul / 2), 0, 0, 0),
           -EFAULT);
    sc_ret("getrandom_past_user_top",
           lx(SYS_getrandom, top - 8, 4096, 0, 0, 0, 0), -EFAULT);
    sc_ret("getcwd_past_user_top", lx(SYS_getcwd, top - 1, 4096, 0, 0, 0, 0),
           -EFAULT);
    sc_ret("seed_read_file_huge_cap",
           seed_call(SEED_SYS_READ_FILE, (long)"hp.txt", (long)good, ~0l),
           -EFAULT);
    sc_ret("seed_read_file_past_user_top",
           seed_call(SEED_SYS_READ_FILE, (long)"hp.txt", top - 8, 64), -EFAULT);
    sc_ret("seed_write_file_past_user_top",
           seed_call(SEED_SYS_WRITE_FILE, (long)"hpw.txt", top - 4096, 8192),
           -EFAULT);
    sc_ret("seed_read_huge_length",
           seed_call(SEED_SYS_READ, file_fd, (long)good, ~0l), -EFAULT);
    sc_ret("seed_blit_past_user_top",
           seed_call(SEED_SYS_BLIT, top - 64 * 4, 64 | 64l << 32, 0), -EFAULT);
    sc_ret("seed_blit_wraps",
           seed_call(SEED_SYS_BLIT, (long)WRAPS + 16, 64 | 64l << 32, 0),
           -EFAULT);
}

/* Memory the program has but may not use that way. */
static void forbidden_memory(void)
{
    unsigned char before[16];
    const unsigned char *text = (const unsigned char *)&lx;
    memcpy(before, text, sizeof before);
    sc_ret("read_into_own_text", lx(SYS_read, zero_fd, (long)text, 16, 0, 0, 0),
           -EFAULT);
    sc_check("own_text_unchanged", memcmp(before, text, 16) == 0,
             "the kernel wrote into read-only text");
    sc_ret("uname_into_own_text", lx(SYS_uname, (long)text, 0, 0, 0, 0, 0),
           -EFAULT);
    sc_ret("seed_read_file_into_own_text",
           seed_call(SEED_SYS_READ_FILE, (long)"hp.txt", (long)text, 16),
           -EFAULT);

    char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char touch = ro[0]; /* present, read-only */
    (void)touch;
    sc_ret("read_into_readonly_mapping",
           lx(SYS_read, zero_fd, (long)ro, 16, 0, 0, 0), -EFAULT);
    sc_ret("clock_gettime_into_readonly_mapping",
           lx(SYS_clock_gettime, CLOCK_MONOTONIC, (long)ro, 0, 0, 0, 0),
           -EFAULT);

    /* A page written (so present), then made PROT_NONE. */
    char *none = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(none, 'x', PAGE);
    mprotect(none, PAGE, PROT_NONE);
    sc_ret("write_from_prot_none_page",
           lx(SYS_write, null_fd, (long)none, 16, 0, 0, 0), -EFAULT);
    sc_ret("read_into_prot_none_page",
           lx(SYS_read, zero_fd, (long)none, 16, 0, 0, 0), -EFAULT);
    sc_ret("open_path_in_prot_none_page",
           lx(SYS_open, (long)none, O_RDONLY, 0, 0, 0, 0), -EFAULT);
    sc_ret("seed_write_file_from_prot_none_page",
           seed_call(SEED_SYS_WRITE_FILE, (long)"hpw.txt", (long)none, 16),
           -EFAULT);

    /* A buffer that runs off the end of its mapping into nothing. */
    char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + PAGE, PAGE);
    long r = lx(SYS_read, zero_fd, (long)(two + PAGE - 8), 16, 0, 0, 0);
    sc_check("read_running_off_mapping", r == -EFAULT || r == 8, "returned %ld",
             r);
    r = lx(SYS_write, null_fd, (long)(two + PAGE - 8), 16, 0, 0, 0);
    sc_check("write_running_off_mapping", r == -EFAULT || r == 8,
             "returned %ld", r);
}

/* pipe with a bad result pointer must not leave descriptors behind. */
static void pipe_leaves_no_descriptors(void)
{
    int before = open("/dev/null", O_RDONLY);
    close(before);
    lx(SYS_pipe, KADDR, 0, 0, 0, 0, 0);
    lx(SYS_pipe2, (long)unmapped, 0, 0, 0, 0, 0);
    int after = open("/dev/null", O_RDONLY);
    close(after);
    sc_check("pipe_efault_leaks_no_descriptor", before == after,
             "lowest free descriptor %d before, %d after", before, after);
}

static void wait4_bad_status(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    /* Let the child become a zombie, then ask for it with a bad status. */
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    sc_ret("wait4_status_kernel", lx(SYS_wait4, pid, KADDR, 0, 0, 0, 0),
           -EFAULT);
    int s;
    while (waitpid(pid, &s, WNOHANG) > 0)
        ;
}

/* waitid with its siginfo, then its rusage, in the kernel: each -EFAULT
 * (the child is reaped all the same, as by Linux). */
static void waitid_bad_pointers(void)
{
    siginfo_t si;
    pid_t pid = fork();
    if (pid == 0)
        _exit(4);
    sc_ret("waitid_info_kernel",
           lx(SYS_waitid, P_PID, pid, KADDR, WEXITED, 0, 0), -EFAULT);
    pid = fork();
    if (pid == 0)
        _exit(5);
    sc_ret("waitid_rusage_kernel",
           lx(SYS_waitid, P_PID, pid, (long)&si, WEXITED, KADDR, 0), -EFAULT);
    int s;
    while (waitpid(-1, &s, WNOHANG) > 0)
        ;
}

/* execve's vectors, in a child that exits 42 when every check is done. */
static void execve_vectors(const char *self)
{
    int failed_before = sc_failed;
    pid_t pid = fork();
    if (pid == 0) {
        const char *good_argv[] = {self, "exit7", NULL};
        const char *bad_elem[] = {self, (const char *)KADDR, NULL};
        const char *unmapped_elem[] = {self, (const char *)unmapped, NULL};
        const long S = (long)self;
        sc_ret("execve_argv_kernel", lx(SYS_execve, S, KADDR, 0, 0, 0, 0),
               -EFAULT);
        sc_ret("execve_argv_unmapped",
               lx(SYS_execve, S, (long)unmapped, 0, 0, 0, 0), -EFAULT);
        sc_ret("execve_argv_element_kernel",
               lx(SYS_execve, S, (long)bad_elem, 0, 0, 0, 0), -EFAULT);
        sc_ret("execve_argv_element_unmapped",
               lx(SYS_execve, S, (long)unmapped_elem, 0, 0, 0, 0), -EFAULT);
        sc_ret("execve_envp_kernel",
               lx(SYS_execve, S, (long)good_argv, KADDR, 0, 0, 0), -EFAULT);
        sc_ret("execve_envp_element_kernel",
               lx(SYS_execve, S, (long)good_argv, (long)bad_elem, 0, 0, 0),
               -EFAULT);
        sc_ret("execve_argv_past_user_top",
               lx(SYS_execve, S, (long)USER_TOP - 8, 0, 0, 0, 0), -EFAULT);
        _exit(sc_failed > failed_before ? 1 : 42);
    }
    int s = 0;
    waitpid(pid, &s, 0);
    sc_check("execve_child_survives_and_finishes",
             WIFEXITED(s) && WEXITSTATUS(s) == 42, "status %#x", s);
}

static void *bad_clear_tid(void *arg)
{
    lx(SYS_set_tid_address, (long)arg, 0, 0, 0, 0, 0);
    lx(SYS_exit, 0, 0, 0, 0, 0, 0); /* the kernel's write there must fail */
    return NULL;
}

/*
 * Threads handed bad words: clone's tid pointers (ignored, as by Linux),
 * a thread whose clear-tid word is in the kernel or unmapped (its exit
 * writes nothing), and a thread started on a stack in the kernel half,
 * which must die with its process and nothing else (in a child).
 */
static void thread_words(void)
{
    const long bad[] = {KADDR, (long)unmapped, NONCANON};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pthread_t t; /* never joined: its exit skips the library */
        int r = pthread_create(&t, NULL, bad_clear_tid, (void *)bad[i]);
        char name[64];
        snprintf(name, sizeof name, "thread_bad_clear_tid_%zu", i);
        sc_ret(name, r, 0);
    }
    /* Let them all go: each yields until the others have run. */
    for (int i = 0; i < 50; i++)
        sched_yield();
    pid_t pid = fork();
    if (pid == 0) {
        /* CLONE_VM|FS|FILES|SIGHAND|THREAD|SETTLS|PARENT_SETTID|CHILD_*TID
         * with every pointer in the kernel: the tid words are skipped,
         * the thread faults at once on its stack and takes us along. */
        long flags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x100000 |
                     0x200000 | 0x1000000;
        long r = lx(SYS_clone, flags, KADDR, KADDR, KADDR, 0, 0);
        if (r < 0)
            _exit(1);
        for (;;)
            pause();
    }
    int st = 0;
    waitpid(pid, &st, 0);
    sc_check("thread_on_kernel_stack_kills_its_process",
             WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "status %#x", st);
    sc_ret("clone_settls_kernel",
           lx(SYS_clone, 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x80000,
              (long)good + PAGE, 0, 0, KADDR, 0),
           -EPERM);
}

/* Mappings, unmappings and the break asked for in the kernel half. */
static void kernel_half_mappings(void)
{
    long r = lx(SYS_mmap, KADDR, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    sc_check("mmap_fixed_kernel_half_fails", r < 0 && r > -4096,
             "returned %#lx", r);
    r = lx(SYS_mmap, NONCANON, PAGE, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    sc_check("mmap_fixed_noncanonical_fails", r < 0 && r > -4096,
             "returned %#lx", r);
    r = lx(SYS_mmap, (long)USER_TOP - PAGE, 2 * PAGE, PROT_READ,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    sc_check("mmap_fixed_across_user_top_fails", r < 0 && r > -4096,
             "returned %#lx", r);
    r = lx(SYS_mmap, KADDR, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
           0);
    sc_check("mmap_hint_kernel_half_lands_in_user_half",
             (r < 0 && r > -4096) || (uint64_t)r < USER_TOP, "returned %#lx",
             r);
    sc_ret("munmap_kernel_half", lx(SYS_munmap, KADDR, PAGE, 0, 0, 0, 0),
           -EINVAL);
    r = lx(SYS_mprotect, KADDR, PAGE, PROT_READ | PROT_WRITE, 0, 0, 0);
    sc_check("mprotect_kernel_half_fails", r == -EINVAL || r == -ENOMEM,
             "returned %ld", r);
    long brk0 = lx(SYS_brk, 0, 0, 0, 0, 0, 0);
    sc_ret("brk_kernel_half_unchanged", lx(SYS_brk, KADDR, 0, 0, 0, 0, 0),
           brk0);
    sc_ret("brk_noncanonical_unchanged", lx(SYS_brk, NONCANON, 0, 0, 0, 0, 0),
           brk0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit7") == 0)
        return 7; /* an execve that should have failed ran us */
    sc_begin();
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p + PAGE, 0, PAGE);
    mprotect(p, 2 * PAGE, PROT_NONE);
    prot_none = (uintptr_t)p;
    prot_none_touched = (uintptr_t)p + PAGE;
    zero_fd = open("/dev/zero", O_RDONLY);
    null_fd = open("/dev/null", O_WRONLY);
    file_fd = open("hp.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(file_fd, "hostile pointers: a file to read", 32);
    dir_fd = open("/", O_RDONLY | O_DIRECTORY);
    sc_check("setup",
             zero_fd >= 0 && null_fd >= 0 && file_fd >= 0 && dir_fd >= 0 &&
                 p != MAP_FAILED,
             "zero %d null %d file %d dir %d", zero_fd, null_fd, file_fd,
             dir_fd);
    good_pointers_work("before");
    pointer_table();
    huge_and_wrapping();
    forbidden_memory();
    pipe_leaves_no_descriptors();
    wait4_bad_status();
    waitid_bad_pointers();
    execve_vectors(argv[0]);
    kernel_half_mappings();
    thread_words();
    good_pointers_work("after");
    return sc_done();
}
