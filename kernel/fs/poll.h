/*
 * Waiting for any of several files to become ready: the work behind poll,
 * ppoll, select and pselect6.
 *
 * A task can be on one wait queue at a time, and a poll watches many files,
 * so every pollable file (pipes, the terminal) wakes one shared queue,
 * poll_queue, whenever its state changes (poll_notify()), and a polling
 * task blocks on that queue - with a deadline when it has a timeout -
 * then asks each file's poll op again. A wake-up meant for another file
 * costs one trip round the loop. The check and the block happen with
 * interrupts off, as for every wait queue, so no change is missed.
 *
 * Locking: interrupts off around the readiness checks and the block.
 * Context: task; sleeps.
 * See: docs/signals.md (poll)
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct file;

/* One watched file: what is asked (events) and what is ready (revents). */
struct poll_entry {
    struct file *file; /* NULL: not watched (negative fd) */
    unsigned events;   /* POLLIN, POLLOUT... */
    unsigned revents;  /* set by poll_wait(): the ready subset, plus
                          POLLERR and POLLHUP always */
};

/* Every poll time-out: wait for ever. */
#define POLL_FOREVER UINT64_MAX

/*
 * Waits until at least one entry is ready, deadline_ns (TSC uptime,
 * tsc_ns_since_entry()) has passed, or a signal arrives for the caller.
 * deadline_ns 0 only looks; POLL_FOREVER never times out. Returns the
 * number of entries with revents set (0 on time-out) or -EINTR.
 * Context: task; sleeps.
 */
int poll_wait(struct poll_entry *e, size_t n, uint64_t deadline_ns);

/*
 * Tells pollers that some file's readiness may have changed. Any context,
 * interrupts on or off.
 */
void poll_notify(void);
