/*
 * Process calls: ids, fork, execve, exit, wait4 and waitid, groups and
 * sessions, and the small facts programs ask for at start-up (uname,
 * limits, TLS).
 *
 * Handlers check and copy their arguments and leave the work to
 * kernel/proc/. execve copies the path, argv and envp into one kernel
 * buffer first (at most EXEC_ARGS_BYTES of strings, EXEC_ARGS_MAX entries).
 *
 * Context: task.
 * See: docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/prctl.h>
#include <ember/resource.h>
#include <ember/signal.h>
#include <ember/utsname.h>
#include <ember/wait.h>

#include "arch/x86_64/cpu.h"
#include "drivers/timer.h"
#include "fs/fdtable.h"
#include "lib/portable.h"
#include "lib/random.h"
#include "mm/uvm.h"
#include "mm/pmm.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/shutdown.h"
#include "proc/thread.h"
#include "sched/sched.h"
#include "sched/task.h"

#define MS_PER_TICK     1 /* SCHED_HZ is 1000 */
#define MS_PER_S        1000
#define US_PER_MS       1000
#define EXEC_ARGS_BYTES (64 * 1024)
#define EXEC_ARGS_MAX   1024
#define GETRANDOM_CHUNK 64         /* bytes made per user copy */
#define GETRANDOM_MAX   (1u << 20) /* bytes per call, the rest short */

long sys_getpid(const struct sysargs *a)
{
    (void)a;
    return proc_current()->pid;
}

long sys_getppid(const struct sysargs *a)
{
    (void)a;
    proc_lock();
    struct process *parent = proc_current()->parent;
    int ppid = parent ? parent->pid : 0;
    proc_unlock();
    return ppid;
}

long sys_fork(const struct sysargs *a)
{
    return proc_fork(a->frame);
}

#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_VFORK          0x00004000
#define CLONE_THREAD         0x00010000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED       0x00400000 /* ignored, as by Linux */
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_SIGNAL         0xff /* the exit signal in the low byte */
#define CLONE_FORK_FLAGS                                                       \
    (CLONE_VM | CLONE_VFORK | CLONE_SIGNAL | CLONE_PARENT_SETTID |             \
     CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)
/* What a thread must share: everything pthread_create asks for. */
#define CLONE_THREAD_NEEDS                                                     \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_THREAD_FLAGS                                                     \
    (CLONE_THREAD_NEEDS | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
     CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED |              \
     CLONE_SIGNAL)

/*
 * clone(CLONE_THREAD ...), as musl's and glibc's pthread_create call it:
 * a thread sharing memory, files, directory and handlers. Linux's own
 * rules first (a thread needs SIGHAND, SIGHAND needs VM), then Ember's:
 * a thread shares all of FS and FILES too, as every C library asks.
 */
static long clone_thread(const struct sysargs *a, uint64_t flags)
{
    uaddr_t u_stack = a->arg[1], u_ptid = a->arg[2], u_ctid = a->arg[3];
    uint64_t tls = a->arg[4];
    if ((flags & CLONE_THREAD_NEEDS) != CLONE_THREAD_NEEDS ||
        (flags & ~(uint64_t)CLONE_THREAD_FLAGS))
        return -EINVAL;
    struct trap_frame child = *a->frame;
    if (u_stack)
        child.rsp = u_stack;
    return thread_clone(&child, flags & CLONE_SETTLS, tls,
                        (flags & CLONE_PARENT_SETTID) ? u_ptid : 0,
                        (flags & CLONE_CHILD_SETTID) ? u_ctid : 0,
                        (flags & CLONE_CHILD_CLEARTID) ? u_ctid : 0);
}

/*
 * clone() for processes. Three flag sets are what C libraries use to
 * make processes: musl's fork (SIGCHLD), glibc's fork (CHILD_SETTID |
 * CHILD_CLEARTID | SIGCHLD: the child's id is stored in the child's memory)
 * and musl's posix_spawn (VM | VFORK | SIGCHLD, with a new stack, for a
 * child that only execs). Ember gives the child a copy-on-write copy even
 * for CLONE_VM, running on the stack it was handed, which is all such a
 * child needs (it reports exec errors through a pipe, not memory).
 * Arguments: flags, new stack, parent tid address, child tid address.
 */
long sys_clone(const struct sysargs *a)
{
    uint64_t flags = a->arg[0];
    uaddr_t u_stack = a->arg[1];
    uaddr_t u_ptid = a->arg[2], u_ctid = a->arg[3];
    if (flags & CLONE_THREAD)
        return clone_thread(a, flags);
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL; /* Linux's rule */
    if (flags & ~(uint64_t)CLONE_FORK_FLAGS)
        return -EINVAL;
    struct trap_frame child = *a->frame;
    if (u_stack)
        child.rsp = u_stack;
    long pid = proc_fork_frame(a->frame, &child,
                               (flags & CLONE_CHILD_SETTID) ? u_ctid : 0);
    if (pid > 0 && (flags & CLONE_PARENT_SETTID)) {
        int32_t tid = (int32_t)pid;
        user_copy_out(u_ptid, &tid, sizeof tid);
    }
    return pid;
}

long sys_wait4(const struct sysargs *a)
{
    int pid = (int)a->arg[0];
    uaddr_t u_status = a->arg[1];
    int options = (int)a->arg[2];
    int status = 0;

    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL | (int)WCLONE))
        return -EINVAL;
    long r = proc_wait(pid, &status, options | WEXITED);
    if (r > 0 && u_status && user_copy_out(u_status, &status, sizeof status))
        return -EFAULT;
    if (r > 0 && a->arg[3]) { /* a child's usage is not kept: zeros */
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        if (user_copy_out(a->arg[3], &ru, sizeof ru) < 0)
            return -EFAULT;
    }
    return r;
}

/* Fills waitid's siginfo from a wait4 status word. */
static void status_to_info(int pid, int status, struct linux_siginfo *si)
{
    si->si_signo = SIGCHLD;
    si->u.proc.pid = pid;
    if (status == WAIT_CONTINUED) {
        si->si_code = CLD_CONTINUED;
        si->u.proc.status = SIGCONT;
    } else if ((status & 0xff) == WAIT_STOPPED) {
        si->si_code = CLD_STOPPED;
        si->u.proc.status = (status >> WAIT_EXIT_SHIFT) & 0xff;
    } else if (WIFEXITED_STATUS(status)) {
        si->si_code = CLD_EXITED;
        si->u.proc.status = (status >> WAIT_EXIT_SHIFT) & 0xff;
    } else {
        si->si_code = (status & WAIT_CORE_FLAG) ? CLD_DUMPED : CLD_KILLED;
        si->u.proc.status = status & WAIT_SIG_MASK;
    }
}

/* waitid(idtype, id, infop, options, rusage): wait4's work, told in a
 * siginfo; 0 (and a zeroed siginfo with WNOHANG and nothing ready). */
long sys_waitid(const struct sysargs *a)
{
    int idtype = (int)a->arg[0], id = (int)a->arg[1];
    uaddr_t u_info = a->arg[2], u_usage = a->arg[4];
    int options = (int)a->arg[3];
    int pid, status = 0;

    if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED |
                    WALL | (int)WCLONE))
        return -EINVAL;
    if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
        return -EINVAL;
    if (idtype == P_ALL)
        pid = -1;
    else if (idtype == P_PID && id > 0)
        pid = id;
    else if (idtype == P_PGID && id >= 0)
        pid = -id; /* 0: the caller's own group, as wait4's 0 */
    else
        return -EINVAL;
    long r = proc_wait(pid, &status, options);
    if (r < 0)
        return r;
    struct linux_siginfo si;
    memset(&si, 0, sizeof si);
    if (r > 0)
        status_to_info((int)r, status, &si);
    if (u_info && user_copy_out(u_info, &si, sizeof si) < 0)
        return -EFAULT;
    if (u_usage) { /* a child's usage is not kept: zeros */
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        if (user_copy_out(u_usage, &ru, sizeof ru) < 0)
            return -EFAULT;
    }
    return 0;
}

/* Copies a NULL-terminated user array of strings into buf. */
static long copy_strings(uaddr_t u_vec, char **out, int max, char *buf,
                         size_t *used)
{
    int n = 0;
    for (; u_vec; n++) {
        uaddr_t u_str;
        if (n >= max)
            return -E2BIG;
        if (user_copy_in(&u_str, u_vec + (uint64_t)n * sizeof u_str,
                         sizeof u_str) < 0)
            return -EFAULT;
        if (!u_str)
            break;
        long len = user_copy_str(buf + *used, u_str, EXEC_ARGS_BYTES - *used);
        if (len == -ENAMETOOLONG)
            return -E2BIG;
        if (len < 0)
            return len;
        out[n] = buf + *used;
        *used += (size_t)len + 1;
    }
    out[n] = NULL;
    return n;
}

long sys_execve(const struct sysargs *a)
{
    char *path; /* PATH_MAX bytes: on the heap, not the kernel stack */
    long err = syspath_copy(a->arg[0], &path);
    if (err < 0)
        return err;
    char *buf = kmalloc(EXEC_ARGS_BYTES);
    char **argv = kmalloc(2 * (EXEC_ARGS_MAX + 1) * sizeof(char *));
    if (!buf || !argv) {
        err = -ENOMEM;
        goto out;
    }
    char **envp = argv + EXEC_ARGS_MAX + 1;
    size_t used = 0;
    err = copy_strings(a->arg[1], argv, EXEC_ARGS_MAX, buf, &used);
    if (err >= 0)
        err = copy_strings(a->arg[2], envp, EXEC_ARGS_MAX, buf, &used);
    if (err >= 0)
        err = proc_execve(a->frame, path, argv, envp);
out:
    kfree(argv);
    kfree(buf);
    kfree(path);
    return err;
}

long sys_setpgid(const struct sysargs *a)
{
    int pid = (int)a->arg[0], pgid = (int)a->arg[1];
    struct process *self = proc_current();
    long err = 0;

    if (pgid < 0)
        return -EINVAL;
    proc_lock();
    struct process *p = pid == 0 ? self : proc_find(pid);
    if (!p || (p != self && p->parent != self)) {
        err = -ESRCH;
    } else if (p->sid != self->sid || p->pid == p->sid) {
        err = -EPERM; /* another session, or a session leader */
    } else {
        if (pgid == 0)
            pgid = p->pid;
        /* Joining a group: it must exist in the caller's session. */
        if (pgid == p->pid || proc_pgid_in_session(pgid, self->sid))
            p->pgid = pgid;
        else
            err = -EPERM;
    }
    proc_unlock();
    return err;
}

long sys_getpgid(const struct sysargs *a)
{
    int pid = (int)a->arg[0];
    proc_lock();
    struct process *p = pid == 0 ? proc_current() : proc_find(pid);
    long r = p ? p->pgid : -ESRCH;
    proc_unlock();
    return r;
}

long sys_getpgrp(const struct sysargs *a)
{
    (void)a;
    return proc_current()->pgid;
}

long sys_setsid(const struct sysargs *a)
{
    (void)a;
    struct process *self = proc_current();
    if (self->pgid == self->pid || proc_pgid_alive(self->pid))
        return -EPERM; /* already a group leader */
    self->sid = self->pgid = self->pid;
    return self->sid;
}

/* The raw call returns 20 - nice (1..40), so no success is negative;
 * libc turns it back into the nice value. */
long sys_getpriority(const struct sysargs *a)
{
    int nice;
    int r = proc_nice_get((int)a->arg[0], (int)a->arg[1], &nice);
    return r < 0 ? r : 20 - nice;
}

long sys_setpriority(const struct sysargs *a)
{
    return proc_nice_set((int)a->arg[0], (int)a->arg[1], (int)a->arg[2]);
}

long sys_getsid(const struct sysargs *a)
{
    int pid = (int)a->arg[0];
    proc_lock();
    struct process *p = pid == 0 ? proc_current() : proc_find(pid);
    long r = p ? p->sid : -ESRCH;
    proc_unlock();
    return r;
}

long sys_arch_prctl(const struct sysargs *a)
{
    int code = (int)a->arg[0];
    uaddr_t u_addr = a->arg[1]; /* the new base, or where to put it */
    struct task *t = task_current();

    if (code == ARCH_SET_FS) {
        if (u_addr >= USER_TOP)
            return -EPERM;
        t->fs_base = u_addr;
        wrmsr(MSR_FS_BASE, u_addr);
        return 0;
    }
    if (code == ARCH_GET_FS)
        return user_copy_out(u_addr, &t->fs_base, sizeof t->fs_base);
    return -EINVAL;
}

long sys_sched_yield(const struct sysargs *a)
{
    (void)a;
    sched_yield();
    return 0;
}

/*
 * Affinity on one CPU: every process may run on CPU 0 and nowhere else.
 * Linux's rules for the mask's size: a length that is not a whole number
 * of longs is -EINVAL, and getaffinity fills and returns one long, the
 * size of the kernel's mask for one CPU. A mask without CPU 0 is -EINVAL.
 */
#define AFFINITY_BYTES sizeof(uint64_t)
#define AFFINITY_CPU0  1ull

static long affinity_target(int pid)
{
    if (pid < 0)
        return -ESRCH;
    if (pid == 0)
        return 0;
    proc_lock();
    bool found = proc_find(pid) != NULL;
    proc_unlock();
    return found ? 0 : -ESRCH;
}

long sys_sched_getaffinity(const struct sysargs *a)
{
    uint64_t len = a->arg[1], mask = AFFINITY_CPU0;
    if (len < AFFINITY_BYTES || len % AFFINITY_BYTES != 0)
        return -EINVAL;
    long err = affinity_target((int)a->arg[0]);
    if (err == 0)
        err = user_copy_out(a->arg[2], &mask, AFFINITY_BYTES);
    return err < 0 ? err : (long)AFFINITY_BYTES;
}

long sys_sched_setaffinity(const struct sysargs *a)
{
    uint64_t len = a->arg[1], mask = 0;
    size_t n = len < AFFINITY_BYTES ? (size_t)len : AFFINITY_BYTES;
    if (n > 0 && user_copy_in(&mask, a->arg[2], n) < 0)
        return -EFAULT;
    long err = affinity_target((int)a->arg[0]);
    if (err == 0 && !(mask & AFFINITY_CPU0))
        err = -EINVAL;
    return err;
}

/* A utsname field: text and its NUL (every text here fits a field). */
static void uts_field(char *field, const char *text)
{
    memcpy(field, text, strlen(text) + 1);
}

long sys_uname(const struct sysargs *a)
{
    struct utsname u;
    memset(&u, 0, sizeof u);
    uts_field(u.sysname, "Ember");
    uts_field(u.nodename, "ember");
    uts_field(u.release, "0.1.0");
    uts_field(u.version, "#1");
    uts_field(u.machine, "x86_64");
    return user_copy_out(a->arg[0], &u, sizeof u);
}

long sys_getuid(const struct sysargs *a)
{
    (void)a;
    return 0; /* one user: root */
}

long sys_zero(const struct sysargs *a)
{
    (void)a;
    return 0;
}

/* One user, root, in one group: gid 0. */
long sys_getgroups(const struct sysargs *a)
{
    int size = (int)a->arg[0];
    uint32_t gid = 0;
    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return 1; /* how many there are */
    int err = user_copy_out(a->arg[1], &gid, sizeof gid);
    return err < 0 ? err : 1;
}

/*
 * getrusage: the CPU time Ember keeps (the user and system time together,
 * as utime, for RUSAGE_SELF and RUSAGE_THREAD); the rest is not kept and
 * reads as zero, as do children's figures.
 */
long sys_getrusage(const struct sysargs *a)
{
    int who = (int)a->arg[0];
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return -EINVAL;
    if (who != RUSAGE_CHILDREN) {
        uint64_t ms = task_current()->cpu_ticks * MS_PER_TICK;
        ru.ru_utime.tv_sec = (int64_t)(ms / MS_PER_S);
        ru.ru_utime.tv_usec = (int64_t)(ms % MS_PER_S * US_PER_MS);
    }
    return user_copy_out(a->arg[1], &ru, sizeof ru);
}

/* prctl: the name (what ps and /proc show); other options -EINVAL. */
long sys_prctl(const struct sysargs *a)
{
    struct process *p = proc_current();
    char name[PROC_NAME_MAX];
    switch ((int)a->arg[0]) {
    case PR_SET_NAME: {
        long n = user_copy_str(name, a->arg[1], sizeof name);
        if (n == -ENAMETOOLONG) { /* Linux keeps the first 15 bytes */
            if (user_copy_in(name, a->arg[1], sizeof name - 1) < 0)
                return -EFAULT;
            name[sizeof name - 1] = '\0';
        } else if (n < 0) {
            return n;
        }
        memcpy(p->name, name, sizeof name);
        return 0;
    }
    case PR_GET_NAME:
        memcpy(name, p->name, sizeof name);
        name[sizeof name - 1] = '\0';
        return user_copy_out(a->arg[1], name, sizeof name);
    default:
        return -EINVAL;
    }
}

long sys_umask(const struct sysargs *a)
{
    struct process *p = proc_current();
    unsigned old = p->umask;
    p->umask = (unsigned)a->arg[0] & 0777; /* kept; FAT32 stores no modes */
    return old;
}

long sys_sysinfo(const struct sysargs *a)
{
    struct sysinfo si;
    struct pmm_stats st;
    memset(&si, 0, sizeof si);
    pmm_get_stats(&st);
    si.uptime = (int64_t)(timer_uptime_ms() / MS_PER_S);
    si.totalram = st.total_frames * PMM_FRAME_SIZE;
    si.freeram = st.free_frames * PMM_FRAME_SIZE;
    si.procs = (uint16_t)proc_count();
    si.mem_unit = 1;
    return user_copy_out(a->arg[0], &si, sizeof si);
}

/* The limits Ember enforces, as getrlimit reports them. */
static void limit(int res, struct rlimit *r)
{
    r->rlim_cur = r->rlim_max = RLIM_INFINITY;
    if (res == RLIMIT_STACK)
        r->rlim_cur = r->rlim_max = UVM_STACK_MAX;
    else if (res == RLIMIT_NOFILE)
        r->rlim_cur = r->rlim_max = FD_MAX;
    else if (res == RLIMIT_NPROC)
        r->rlim_cur = r->rlim_max = PROC_MAX;
}

long sys_getrlimit(const struct sysargs *a)
{
    struct rlimit r;
    if (a->arg[0] >= RLIMIT_COUNT)
        return -EINVAL;
    limit((int)a->arg[0], &r);
    return user_copy_out(a->arg[1], &r, sizeof r);
}

long sys_prlimit64(const struct sysargs *a)
{
    int pid = (int)a->arg[0];
    if (pid != 0 && pid != proc_current()->pid)
        return -ESRCH;
    if (a->arg[1] >= RLIMIT_COUNT)
        return -EINVAL;
    if (a->arg[2]) {
        struct rlimit want;
        if (user_copy_in(&want, a->arg[2], sizeof want) < 0)
            return -EFAULT;
        return -EPERM; /* limits cannot be changed */
    }
    struct rlimit r;
    limit((int)a->arg[1], &r);
    return a->arg[3] ? user_copy_out(a->arg[3], &r, sizeof r) : 0;
}

long sys_reboot(const struct sysargs *a)
{
    if ((uint32_t)a->arg[0] != REBOOT_MAGIC1 ||
        (uint32_t)a->arg[1] != REBOOT_MAGIC2)
        return -EINVAL;
    if ((uint32_t)a->arg[2] == REBOOT_CMD_POWER_OFF ||
        (uint32_t)a->arg[2] == REBOOT_CMD_HALT)
        shutdown_power_off();
    if ((uint32_t)a->arg[2] == REBOOT_CMD_RESTART)
        shutdown_reboot();
    return -EINVAL;
}

/* getrandom(buf, len, flags): at most GETRANDOM_MAX bytes per call. */
long sys_getrandom(const struct sysargs *a)
{
    uaddr_t u_buf = a->arg[0];
    size_t len = (size_t)a->arg[1];
    uint8_t chunk[GETRANDOM_CHUNK];
    if (len > GETRANDOM_MAX)
        len = GETRANDOM_MAX;
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        random_fill(chunk, n);
        if (user_copy_out(u_buf + done, chunk, n) < 0)
            return -EFAULT;
        done += n;
    }
    return (long)len;
}
