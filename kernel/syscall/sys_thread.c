/*
 * Thread calls: gettid, set_tid_address, futex, exit and exit_group
 * (clone, with CLONE_THREAD, is in sys_proc.c with the other clones).
 *
 * futex takes Linux's operations FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE,
 * FUTEX_CMP_REQUEUE, FUTEX_WAIT_BITSET and FUTEX_WAKE_BITSET, with or
 * without FUTEX_PRIVATE_FLAG (kernel/proc/futex.c keys the two apart, as
 * Linux does) and FUTEX_CLOCK_REALTIME for
 * the bitset wait's absolute deadline; the rest (PI, WAKE_OP) return
 * -ENOSYS, which musl never meets and glibc falls back from.
 *
 * Context: task.
 * See: docs/threads.md, docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/time.h>
#include <ember/wait.h>

#include "arch/x86_64/tsc.h"
#include "drivers/rtc.h"
#include "mm/user_copy.h"
#include "proc/futex.h"
#include "proc/process.h"
#include "proc/thread.h"

#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK       (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define NS_PER_S             1000000000ull

long sys_gettid(const struct sysargs *a)
{
    (void)a;
    return thread_current()->tid;
}

long sys_set_tid_address(const struct sysargs *a)
{
    struct thread *th = thread_current();
    th->clear_tid = a->arg[0]; /* checked when used: it is only written */
    return th->tid;
}

long sys_exit(const struct sysargs *a)
{
    thread_exit(wait_status_exited((int32_t)a->arg[0]));
}

long sys_exit_group(const struct sysargs *a)
{
    proc_exit(wait_status_exited((int32_t)a->arg[0]));
}

/*
 * The deadline (TSC uptime) of a futex wait's timeout: relative for
 * FUTEX_WAIT, absolute on CLOCK_MONOTONIC (or CLOCK_REALTIME) for
 * FUTEX_WAIT_BITSET. UINT64_MAX without one.
 */
static long deadline_of(uaddr_t u_ts, bool absolute, bool realtime,
                        uint64_t *deadline)
{
    *deadline = UINT64_MAX;
    if (!u_ts)
        return 0;
    struct timespec ts;
    if (user_copy_in(&ts, u_ts, sizeof ts) < 0)
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_S)
        return -EINVAL;
    uint64_t ns = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
    uint64_t now = tsc_ns_since_entry();
    if (!absolute) {
        *deadline = now + ns;
    } else if (realtime) {
        uint64_t real = rtc_realtime_ns();
        *deadline = ns > real ? now + (ns - real) : now;
    } else {
        *deadline = ns;
    }
    return 0;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
long sys_futex(const struct sysargs *a)
{
    uaddr_t u_addr = a->arg[0], u_addr2 = a->arg[4];
    int op = (int)a->arg[1];
    uint32_t val = (uint32_t)a->arg[2], val3 = (uint32_t)a->arg[5];
    int cmd = op & FUTEX_CMD_MASK;
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    bool private = op & FUTEX_PRIVATE_FLAG;
    struct process *p = proc_current();
    uint64_t deadline;
    long err;

    if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
        return -ENOSYS; /* Linux's answer for the other operations */
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        err = deadline_of(a->arg[3], cmd == FUTEX_WAIT_BITSET, realtime,
                          &deadline);
        if (err < 0)
            return err;
        return futex_wait(p, private, u_addr, val,
                          cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : val3,
                          deadline);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return futex_wake(p, private, u_addr, (int)val,
                          cmd == FUTEX_WAKE ? FUTEX_BITSET_ANY : val3);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        /* The fourth argument is a count here, not a timeout. */
        return futex_requeue(p, private, u_addr, (int)val, u_addr2,
                             (int)a->arg[3], cmd == FUTEX_CMP_REQUEUE, val3);
    default:
        return -ENOSYS;
    }
}
