/*
 * Futexes: the sleeping half of musl's and glibc's mutexes, condition
 * variables, barriers and pthread_join.
 *
 * Every waiter is a record on its own kernel stack with a private wait
 * queue, linked into one of FUTEX_BUCKETS lists chosen by hashing its key
 * (process, address); a wake walks one list and wakes the records whose
 * key and bitset match, so words that share a bucket do not wake each
 * other. A requeue just moves records to another key.
 *
 * The race every futex must close: the waiter reads the user word (which
 * can fault and sleep, so interrupts are on) and only then goes on the
 * list; a thread that changes the word and wakes in between would find no
 * one to wake. Each bucket counts its wakes; the waiter notes the count
 * before reading the word and, with interrupts off, does not sleep if it
 * moved - it returns 0, a wake-up its caller rechecks, which Linux's
 * callers must accept anyway.
 *
 * Locking: lists and counts, interrupts off. Context: task.
 * See: docs/threads.md
 */
#include "proc/futex.h"

#include <stdbool.h>

#include <ember/errno.h>

#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "sched/wait.h"

#define FUTEX_BUCKETS 64 /* a power of two */
#define WORD_ALIGN    4

struct futex_waiter {
    const struct process *key_proc;
    uaddr_t key_addr;
    uint32_t bitset;
    bool woken;
    struct wait_queue wq; /* only this waiter's task */
    struct futex_waiter *next;
};

/* Interrupts off. */
static struct {
    struct futex_waiter *list[FUTEX_BUCKETS];
    uint64_t wakes[FUTEX_BUCKETS]; /* bumped by every wake and requeue */
} futex;

static unsigned bucket(const struct process *p, uaddr_t addr)
{
    uint64_t h = (uint64_t)(uintptr_t)p ^ (addr >> 2);
    h *= 0x9e3779b97f4a7c15ull; /* Fibonacci hashing: mixes the low bits */
    return (unsigned)(h >> 58) & (FUTEX_BUCKETS - 1);
}

static void link_waiter(struct futex_waiter *w)
{
    unsigned b = bucket(w->key_proc, w->key_addr);
    w->next = futex.list[b];
    futex.list[b] = w;
}

/* Takes w off its list if it is still there. Interrupts off. */
static void unlink_waiter(struct futex_waiter *w)
{
    unsigned b = bucket(w->key_proc, w->key_addr);
    for (struct futex_waiter **pp = &futex.list[b]; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            return;
        }
    }
}

long futex_wait(struct process *p, uaddr_t u_addr, uint32_t val,
                uint32_t bitset, uint64_t deadline_ns)
{
    if (u_addr % WORD_ALIGN || !bitset)
        return -EINVAL;
    unsigned b = bucket(p, u_addr);
    uint64_t wakes = futex.wakes[b]; /* before the read: see the header */
    uint32_t now;
    if (user_copy_in(&now, u_addr, sizeof now) < 0)
        return -EFAULT;
    if (now != val)
        return -EAGAIN;
    struct futex_waiter w = {.key_proc = p,
                             .key_addr = u_addr,
                             .bitset = bitset,
                             .wq = WAIT_QUEUE_INIT};
    uint64_t irq = irq_save();
    if (futex.wakes[b] != wakes) {
        irq_restore(irq);
        return 0;
    }
    link_waiter(&w);
    long r = 0;
    while (!w.woken) {
        if (wait_signal_pending()) {
            r = -EINTR;
            break;
        }
        if (deadline_ns != UINT64_MAX && tsc_ns_since_entry() >= deadline_ns) {
            r = -ETIMEDOUT;
            break;
        }
        if (deadline_ns == UINT64_MAX)
            wq_block(&w.wq);
        else
            wq_block_timed(&w.wq, deadline_ns);
    }
    if (!w.woken)
        unlink_waiter(&w);
    irq_restore(irq);
    return w.woken ? 0 : r;
}

/*
 * Wakes up to n waiters on (p, addr) whose bitset meets bitset, then moves
 * up to n_move others to (p, to). Returns woken + moved. Interrupts off.
 */
static long wake_move(struct process *p, uaddr_t addr, int n, uint32_t bitset,
                      uaddr_t to, int n_move)
{
    unsigned b = bucket(p, addr);
    long done = 0;
    futex.wakes[b]++;
    futex.wakes[bucket(p, to)]++;
    struct futex_waiter **pp = &futex.list[b];
    while (*pp && (n > 0 || n_move > 0)) {
        struct futex_waiter *w = *pp;
        if (w->key_proc != p || w->key_addr != addr || !(w->bitset & bitset)) {
            pp = &w->next;
            continue;
        }
        *pp = w->next;
        if (n > 0) {
            n--;
            w->woken = true;
            wq_wake_all(&w->wq);
        } else {
            n_move--;
            w->key_addr = to;
            link_waiter(w);
            if (pp == &futex.list[b] && bucket(p, to) == b)
                pp = &w->next; /* relinked in front of us: step over it */
        }
        done++;
    }
    return done;
}

long futex_wake(struct process *p, uaddr_t u_addr, int n, uint32_t bitset)
{
    if (u_addr % WORD_ALIGN || !bitset)
        return -EINVAL;
    if (n <= 0)
        n = 1; /* Linux wakes one even when asked for none */
    uint64_t irq = irq_save();
    long r = wake_move(p, u_addr, n, bitset, u_addr, 0);
    irq_restore(irq);
    return r;
}

long futex_requeue(struct process *p, uaddr_t u_addr, int n, uaddr_t u_to,
                   int n_move, bool check, uint32_t val)
{
    if (u_addr % WORD_ALIGN || u_to % WORD_ALIGN || n < 0 || n_move < 0)
        return -EINVAL;
    if (check) {
        uint32_t now;
        if (user_copy_in(&now, u_addr, sizeof now) < 0)
            return -EFAULT;
        if (now != val)
            return -EAGAIN;
    }
    uint64_t irq = irq_save();
    long r = wake_move(p, u_addr, n, FUTEX_BITSET_ANY, u_to, n_move);
    irq_restore(irq);
    return r;
}
