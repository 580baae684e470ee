/*
 * Pipes: a byte ring (lib/ring.h), two wait queues, and counts of open ends.
 *
 * One struct pipe is shared by the read end and the write end (each a
 * struct file, which dup and fork may share further). A reader sleeps on
 * `readable` until the ring has bytes or the last writer has gone; a writer
 * sleeps on `writable` until there is room or the last reader has gone.
 * Each side wakes the other after it moves bytes, and the release of an
 * end wakes the other side so it can see EOF or EPIPE. The pipe is freed
 * when both ends are released.
 *
 * Writes of at most PIPE_BUF bytes wait for room for all of them, so two
 * writers' small messages never interleave; larger writes go in pieces.
 *
 * Locking: a pipe's fields are guarded by interrupts being off, which is
 * also what a wait queue needs between the check and the block (Ember runs
 * on one CPU); bytes are copied with interrupts off, at most PIPE_BYTES at
 * a time, from and to kernel buffers only.
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/pipe.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>
#include <ember/uio.h>

#include "arch/x86_64/irq.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "lib/portable.h"
#include "lib/ring.h"
#include "mm/kheap.h"
#include "sched/wait.h"

#define PIPE_DEV  0x0009 /* st_dev of every pipe */
#define PIPE_MODE 0600

struct pipe {
    /* Guarded by interrupts off. */
    struct ring ring; /* PIPE_BYTES bytes, from the heap */
    unsigned readers, writers;
    struct wait_queue readable, writable;
};

static const struct file_ops pipe_read_ops, pipe_write_ops;

static long pipe_read(struct file *f, void *buf, size_t n)
{
    struct pipe *p = f->priv;
    if (n == 0)
        return 0;
    uint64_t irq = irq_save();
    while (ring_count(&p->ring) == 0 && p->writers > 0) {
        if (f->flags & O_NONBLOCK) {
            irq_restore(irq);
            return -EAGAIN;
        }
        if (wait_signal_pending()) { /* ctrl-c, kill: give up the wait */
            irq_restore(irq);
            return -EINTR;
        }
        wq_block(&p->readable);
    }
    size_t got = ring_read(&p->ring, buf, n);
    irq_restore(irq);
    if (got) {
        wq_wake_all(&p->writable);
        poll_notify();
    }
    return (long)got;
}

static long pipe_write(struct file *f, const void *buf, size_t n)
{
    struct pipe *p = f->priv;
    size_t done = 0;
    uint64_t irq = irq_save();
    while (done < n) {
        if (p->readers == 0) {
            irq_restore(irq);
            return done ? (long)done : -EPIPE;
        }
        size_t room = ring_room(&p->ring);
        size_t want = n - done;
        bool whole = n <= PIPE_BUF; /* atomic: all of it or wait */
        if (room == 0 || (whole && room < want)) {
            if (f->flags & O_NONBLOCK) {
                irq_restore(irq);
                return done ? (long)done : -EAGAIN;
            }
            if (wait_signal_pending()) {
                irq_restore(irq);
                return done ? (long)done : -EINTR;
            }
            wq_block(&p->writable);
            continue;
        }
        done += ring_write(&p->ring, (const uint8_t *)buf + done, want);
        wq_wake_all(&p->readable);
        poll_notify();
    }
    irq_restore(irq);
    return (long)done;
}

static int pipe_stat(struct file *f, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = PIPE_DEV;
    st->st_ino = (uint64_t)(uintptr_t)f->priv >> 4; /* unique while open */
    st->st_nlink = 1;
    st->st_mode = S_IFIFO | PIPE_MODE;
    st->st_blksize = PIPE_BUF;
    return 0;
}

static void pipe_release(struct file *f)
{
    struct pipe *p = f->priv;
    uint64_t irq = irq_save();
    if (f->ops == &pipe_read_ops)
        p->readers--;
    else
        p->writers--;
    bool last = p->readers == 0 && p->writers == 0;
    if (!last) {
        /*
         * The other side may be asleep waiting for what will never come.
         * Woken before interrupts come back on: once they do, the other
         * end's release may run and free the pipe.
         */
        wq_wake_all(&p->readable);
        wq_wake_all(&p->writable);
        poll_notify();
    }
    irq_restore(irq);
    if (last) {
        kfree(p->ring.buf);
        kfree(p);
    }
}

/*
 * Readiness as Linux's pipe_poll() gives it: the read end is readable with
 * bytes in the ring and hung up once no writer is left; the write end is
 * writable with room for an atomic write and in error once no reader is
 * left. Interrupts off.
 */
static unsigned pipe_poll(struct file *f)
{
    struct pipe *p = f->priv;
    unsigned mask = 0;
    if (f->ops == &pipe_read_ops) {
        if (ring_count(&p->ring) > 0)
            mask |= POLLIN;
        if (p->writers == 0)
            mask |= POLLHUP;
    } else {
        if (ring_room(&p->ring) >= PIPE_BUF)
            mask |= POLLOUT;
        if (p->readers == 0)
            mask |= POLLERR;
    }
    return mask;
}

static const struct file_ops pipe_read_ops = {
    .read = pipe_read,
    .poll = pipe_poll,
    .stat = pipe_stat,
    .release = pipe_release,
};

static const struct file_ops pipe_write_ops = {
    .write = pipe_write,
    .poll = pipe_poll,
    .stat = pipe_stat,
    .release = pipe_release,
};

int pipe_create(int flags, struct file **rd, struct file **wr)
{
    struct pipe *p = kmalloc(sizeof *p);
    uint8_t *buf = kmalloc(PIPE_BYTES);
    if (p == NULL || buf == NULL)
        goto no_memory;
    *p = (struct pipe){.readers = 1, .writers = 1};
    ring_init(&p->ring, buf, 1, PIPE_BYTES);
    int nb = flags & O_NONBLOCK;
    *rd = file_new(&pipe_read_ops, O_RDONLY | nb, p);
    if (*rd == NULL)
        goto no_memory;
    *wr = file_new(&pipe_write_ops, O_WRONLY | nb, p);
    if (*wr == NULL) {
        kfree(*rd);
        goto no_memory;
    }
    return 0;
no_memory:
    kfree(buf);
    kfree(p);
    return -ENOMEM;
}
