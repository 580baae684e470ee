/*
 * Waiting for any of several files to become ready: one shared queue,
 * rechecked on each wake-up.
 *
 * Linux puts a poller on the wait queue of every file it watches; Ember's
 * tasks wait on one queue at a time, so instead every pollable file calls
 * poll_notify() when its state changes and pollers recheck every file they
 * watch. With the few files a shell or an editor polls, that recheck costs
 * less than the bookkeeping of many queues would.
 *
 * Locking: the queue needs interrupts off; each file's poll op is called
 * with interrupts off, and those are guarded by that too (pipe.c, tty.c).
 * Context: task; sleeps.
 * See: docs/signals.md (poll)
 */
#include "fs/poll.h"

#include <ember/errno.h>
#include <ember/uio.h>

#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "fs/file.h"
#include "sched/wait.h"

/* What a file without a poll op is: ready both ways (Linux's DEFAULT_POLLMASK).
 */
#define POLL_DEFAULT (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

static struct wait_queue poll_queue = WAIT_QUEUE_INIT; /* interrupts off */

void poll_notify(void)
{
    wq_wake_all(&poll_queue);
}

/* Sets each entry's revents; returns how many are set. Interrupts off. */
static int scan(struct poll_entry *e, size_t n)
{
    int ready = 0;
    for (size_t i = 0; i < n; i++) {
        e[i].revents = 0;
        if (!e[i].file)
            continue;
        const struct file_ops *ops = e[i].file->ops;
        unsigned mask = ops->poll ? ops->poll(e[i].file) : POLL_DEFAULT;
        if (mask & POLLIN)
            mask |= POLLRDNORM;
        if (mask & POLLOUT)
            mask |= POLLWRNORM;
        e[i].revents = mask & (e[i].events | POLLERR | POLLHUP);
        if (e[i].revents)
            ready++;
    }
    return ready;
}

int poll_wait(struct poll_entry *e, size_t n, uint64_t deadline_ns)
{
    uint64_t irq = irq_save();
    int ready;
    for (;;) {
        ready = scan(e, n);
        if (ready || deadline_ns == 0)
            break;
        if (deadline_ns != POLL_FOREVER && tsc_ns_since_entry() >= deadline_ns)
            break;
        if (wait_signal_pending()) {
            ready = -EINTR;
            break;
        }
        if (deadline_ns == POLL_FOREVER)
            wq_block(&poll_queue);
        else
            wq_block_timed(&poll_queue, deadline_ns);
    }
    irq_restore(irq);
    return ready;
}
