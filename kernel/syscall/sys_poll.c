/*
 * Waiting on several descriptors: poll, ppoll, select and pselect6.
 *
 * All four become one list of struct poll_entry, one per descriptor, for
 * poll_wait() (kernel/fs/poll.c), which does the waiting. This file checks
 * and copies: the pollfd array or the three fd_set bitmaps in, the
 * time-out turned into a TSC deadline, the results and (as Linux does) the
 * time left back out. ppoll and pselect6 run the wait under the caller's
 * signal mask and put the old one back - after the handler ran, when a
 * signal interrupted the wait (signal_wait_mask()).
 *
 * None of them is restarted after a handler, whatever SA_RESTART says: an
 * interrupted wait returns -EINTR, as signal(7) lists for Linux.
 *
 * Context: task; sleeps.
 * See: docs/signals.md (poll), docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/signal.h>
#include <ember/time.h>
#include <ember/uio.h>

#include "arch/x86_64/tsc.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

#define NS_PER_S      1000000000ull
#define NS_PER_US     1000ull
#define NS_PER_MS     1000000ull
#define FDSET_WORD    64   /* bits in one word of an fd_set */
#define SELECT_FD_MAX 1024 /* FD_SETSIZE: the most bits select reads */

/* What select's three sets stand for in poll's terms (Linux's select.c). */
#define SELECT_IN  (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLERR)
#define SELECT_EX  POLLPRI

/* Drops the references taken on the entries' files. */
static void put_files(struct poll_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].file)
            file_put(e[i].file);
}

/* A relative time-out as a deadline: 0 for "just look". */
static uint64_t deadline_after(uint64_t ns)
{
    return ns ? tsc_ns_since_entry() + ns : 0;
}

/* The time left until deadline, for the write-back. */
static struct timespec time_left(uint64_t deadline)
{
    uint64_t now = tsc_ns_since_entry(), left = 0;
    if (deadline != POLL_FOREVER && deadline > now)
        left = deadline - now;
    return (struct timespec){(int64_t)(left / NS_PER_S),
                             (int64_t)(left % NS_PER_S)};
}

/* Writes the time left back to a timespec time-out, as Linux does. */
static void write_left(uaddr_t u_ts, uint64_t deadline)
{
    if (!u_ts || deadline == POLL_FOREVER)
        return;
    struct timespec left = time_left(deadline);
    user_copy_out(u_ts, &left, sizeof left); /* a failure is ignored */
}

/* Reads a timespec time-out; POLL_FOREVER for NULL. 0 or an error. */
static long timespec_deadline(uaddr_t u_ts, uint64_t *deadline)
{
    struct timespec ts;
    *deadline = POLL_FOREVER;
    if (!u_ts)
        return 0;
    if (user_copy_in(&ts, u_ts, sizeof ts) < 0)
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_S)
        return -EINVAL;
    *deadline =
        deadline_after((uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec);
    return 0;
}

/*
 * Reads a signal mask argument for ppoll/pselect6 and installs it for the
 * wait. *set says whether one was given. 0 or an error.
 */
static long wait_mask(uaddr_t u_mask, uint64_t size, bool *set)
{
    uint64_t mask;
    *set = false;
    if (!u_mask)
        return 0;
    if (size != KSIGSET_SIZE)
        return -EINVAL;
    if (user_copy_in(&mask, u_mask, sizeof mask) < 0)
        return -EFAULT;
    signal_wait_mask(thread_current(), mask);
    *set = true;
    return 0;
}

/* The poll family's body: pollfds in, wait, revents out. */
static long do_poll(uaddr_t u_fds, uint64_t nfds, uint64_t deadline)
{
    if (nfds > FD_MAX)
        return -EINVAL; /* past RLIMIT_NOFILE, as Linux says */
    struct pollfd *pfd = kmalloc(nfds * sizeof *pfd + 1);
    struct poll_entry *e = kmalloc(nfds * sizeof *e + 1);
    long r = -ENOMEM;
    if (!pfd || !e)
        goto out;
    r = -EFAULT;
    if (nfds && user_copy_in(pfd, u_fds, nfds * sizeof *pfd) < 0)
        goto out;
    long invalid = 0;
    for (size_t i = 0; i < nfds; i++) {
        e[i] = (struct poll_entry){.events = (uint16_t)pfd[i].events};
        if (pfd[i].fd >= 0 &&
            fdtable_get(proc_current()->fds, pfd[i].fd, &e[i].file) < 0)
            invalid++;
    }
    /* A bad descriptor is an answer (POLLNVAL), so do not wait for others. */
    r = poll_wait(e, nfds, invalid ? 0 : deadline);
    put_files(e, nfds);
    if (r < 0)
        goto out;
    r = 0;
    for (size_t i = 0; i < nfds; i++) {
        bool nval = pfd[i].fd >= 0 && !e[i].file;
        pfd[i].revents = (int16_t)(nval ? POLLNVAL : e[i].revents);
        if (pfd[i].revents)
            r++;
    }
    if (nfds && user_copy_out(u_fds, pfd, nfds * sizeof *pfd) < 0)
        r = -EFAULT;
out:
    kfree(e);
    kfree(pfd);
    return r;
}

long sys_poll(const struct sysargs *a)
{
    int timeout_ms = (int)a->arg[2];
    uint64_t deadline = timeout_ms < 0
                            ? POLL_FOREVER
                            : deadline_after((uint64_t)timeout_ms * NS_PER_MS);
    return do_poll(a->arg[0], a->arg[1], deadline);
}

long sys_ppoll(const struct sysargs *a)
{
    uint64_t deadline;
    bool masked = false;
    long r = timespec_deadline(a->arg[2], &deadline);
    if (r == 0)
        r = wait_mask(a->arg[3], a->arg[4], &masked);
    if (r < 0)
        return r;
    r = do_poll(a->arg[0], a->arg[1], deadline);
    if (masked)
        signal_wait_mask_end(thread_current(), r == -EINTR);
    write_left(a->arg[2], deadline);
    return r;
}

/* select's three sets, as words of bits. */
struct fdsets {
    uint64_t in[SELECT_FD_MAX / FDSET_WORD];
    uint64_t out[SELECT_FD_MAX / FDSET_WORD];
    uint64_t ex[SELECT_FD_MAX / FDSET_WORD];
};

static bool bit(const uint64_t *set, int fd)
{
    return set[fd / FDSET_WORD] >> (fd % FDSET_WORD) & 1;
}

static long copy_set(uint64_t *set, uaddr_t u_set, size_t bytes)
{
    memset(set, 0, SELECT_FD_MAX / 8);
    if (u_set && user_copy_in(set, u_set, bytes) < 0)
        return -EFAULT;
    return 0;
}

/* Fills one entry per descriptor named in any set. 0 or -EBADF. */
static long sets_to_entries(const struct fdsets *s, int nfds,
                            struct poll_entry *e)
{
    for (int fd = 0; fd < nfds; fd++) {
        unsigned ev = (bit(s->in, fd) ? SELECT_IN : 0) |
                      (bit(s->out, fd) ? SELECT_OUT : 0) |
                      (bit(s->ex, fd) ? SELECT_EX : 0);
        e[fd] = (struct poll_entry){.events = ev};
        if (ev && fdtable_get(proc_current()->fds, fd, &e[fd].file) < 0) {
            put_files(e, (size_t)fd);
            return -EBADF;
        }
    }
    return 0;
}

/* Keeps in each set only the bits that are ready; returns how many. */
static long entries_to_sets(const struct poll_entry *e, int nfds,
                            struct fdsets *s)
{
    long ready = 0;
    for (int fd = 0; fd < nfds; fd++) {
        uint64_t b = 1ull << (fd % FDSET_WORD);
        int w = fd / FDSET_WORD;
        unsigned rev = e[fd].revents;
        uint64_t *sets[] = {s->in, s->out, s->ex};
        unsigned want[] = {SELECT_IN, SELECT_OUT, SELECT_EX};
        for (int k = 0; k < 3; k++) {
            if ((sets[k][w] & b) && (rev & want[k]))
                ready++;
            else
                sets[k][w] &= ~b;
        }
    }
    return ready;
}

/* The select family's body. */
static long do_select(int nfds, const uaddr_t u_set[3], uint64_t deadline)
{
    if (nfds < 0)
        return -EINVAL;
    if (nfds > SELECT_FD_MAX)
        nfds = SELECT_FD_MAX;
    size_t bytes = (size_t)(nfds + FDSET_WORD - 1) / FDSET_WORD * 8;
    struct fdsets *s = kmalloc(sizeof *s);
    struct poll_entry *e = kmalloc((size_t)nfds * sizeof *e + 1);
    long r = -ENOMEM;
    if (!s || !e)
        goto out;
    r = -EFAULT;
    if (copy_set(s->in, u_set[0], bytes) < 0 ||
        copy_set(s->out, u_set[1], bytes) < 0 ||
        copy_set(s->ex, u_set[2], bytes) < 0)
        goto out;
    if (nfds > FD_MAX) {
        for (int fd = FD_MAX; fd < nfds; fd++)
            if (bit(s->in, fd) || bit(s->out, fd) || bit(s->ex, fd))
                r = -EBADF; /* past the table: never open */
        if (r == -EBADF)
            goto out;
        nfds = FD_MAX;
    }
    r = sets_to_entries(s, nfds, e);
    if (r < 0)
        goto out;
    r = poll_wait(e, (size_t)nfds, deadline);
    put_files(e, (size_t)nfds);
    if (r < 0)
        goto out;
    r = entries_to_sets(e, nfds, s);
    uint64_t *sets[] = {s->in, s->out, s->ex};
    for (int k = 0; k < 3; k++)
        if (u_set[k] && user_copy_out(u_set[k], sets[k], bytes) < 0)
            r = -EFAULT;
out:
    kfree(e);
    kfree(s);
    return r;
}

long sys_select(const struct sysargs *a)
{
    uaddr_t u_sets[3] = {a->arg[1], a->arg[2], a->arg[3]};
    uaddr_t u_tv = a->arg[4];
    uint64_t deadline = POLL_FOREVER;
    if (u_tv) {
        struct timeval tv;
        if (user_copy_in(&tv, u_tv, sizeof tv) < 0)
            return -EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
            return -EINVAL;
        /* Linux folds whole seconds out of tv_usec rather than refusing. */
        deadline = deadline_after((uint64_t)tv.tv_sec * NS_PER_S +
                                  (uint64_t)tv.tv_usec * NS_PER_US);
    }
    long r = do_select((int)a->arg[0], u_sets, deadline);
    if (u_tv && r != -EFAULT) {
        struct timespec left = time_left(deadline);
        struct timeval tv = {left.tv_sec, left.tv_nsec / (int64_t)NS_PER_US};
        user_copy_out(u_tv, &tv, sizeof tv); /* errors ignored, as Linux */
    }
    return r;
}

/* pselect6's sixth argument: the mask and its size, in user memory. */
struct pselect_mask {
    uint64_t u_set;
    uint64_t size;
};

long sys_pselect6(const struct sysargs *a)
{
    uaddr_t u_sets[3] = {a->arg[1], a->arg[2], a->arg[3]};
    uint64_t deadline;
    bool masked = false;
    long r = timespec_deadline(a->arg[4], &deadline);
    if (r < 0)
        return r;
    if (a->arg[5]) {
        struct pselect_mask m;
        if (user_copy_in(&m, a->arg[5], sizeof m) < 0)
            return -EFAULT;
        r = wait_mask(m.u_set, m.size, &masked);
        if (r < 0)
            return r;
    }
    r = do_select((int)a->arg[0], u_sets, deadline);
    if (masked)
        signal_wait_mask_end(thread_current(), r == -EINTR);
    write_left(a->arg[4], deadline);
    return r;
}
