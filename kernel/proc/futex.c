/*
 * Futexes: the sleeping half of musl's and glibc's mutexes, condition
 * variables, barriers and pthread_join.
 *
 * Every waiter is a record on its own kernel stack with a private wait
 * queue, linked into one of FUTEX_BUCKETS lists chosen by hashing its key;
 * a wake walks one list and wakes the records whose key and bitset match,
 * so words that share a bucket do not wake each other. A requeue just
 * moves records to another key.
 *
 * The key, as Linux's get_futex_key() makes it: a FUTEX_PRIVATE_FLAG
 * operation is keyed by (process, address). A shared one (no flag, and
 * the kernel's own wake of a clear-tid word) is keyed by the physical
 * address of the word when it lies in a MAP_SHARED region, so processes
 * that share the page meet there whatever address each maps it at; in
 * private memory by (process, address) marked shared, so a private wait
 * and a shared wake of the same word do not meet, as on Linux.
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
#include "mm/uvm.h"
#include "mm/vmm.h"
#include "proc/process.h"
#include "sched/wait.h"

#define FUTEX_BUCKETS 64 /* a power of two */
#define WORD_ALIGN    4

/* What a futex operation names: owner is the process, or &futex for a
 * physical address. addr's bit 0 (never set in an aligned word) marks a
 * shared key in private memory. */
struct futex_key {
    const void *owner;
    uint64_t addr;
};

#define KEY_SHARED_BIT 1u

struct futex_waiter {
    struct futex_key key;
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

static unsigned bucket(struct futex_key k)
{
    uint64_t h = (uint64_t)(uintptr_t)k.owner ^ (k.addr >> 2);
    h *= 0x9e3779b97f4a7c15ull; /* Fibonacci hashing: mixes the low bits */
    return (unsigned)(h >> 58) & (FUTEX_BUCKETS - 1);
}

static bool same(struct futex_key a, struct futex_key b)
{
    return a.owner == b.owner && a.addr == b.addr;
}

/*
 * The key of the word at u_addr (see the header). A shared key needs the
 * address mapped, and in a MAP_SHARED region its page present: -EFAULT if
 * not.
 */
static int key_of(struct process *p, uaddr_t u_addr, bool private,
                  struct futex_key *k)
{
    *k = (struct futex_key){.owner = p, .addr = u_addr};
    if (private)
        return 0;
    k->addr |= KEY_SHARED_BIT;
    uint64_t irq = irq_save(); /* another thread may unmap meanwhile */
    struct vma *v = uvm_find(p->uvm, u_addr);
    paddr_t phys;
    int err = 0;
    if (v == NULL)
        err = -EFAULT; /* Linux looks the page up for a shared key */
    else if (v->shared) {
        err =
            vmm_translate(p->uvm->space, u_addr, &phys, NULL) < 0 ? -EFAULT : 0;
        *k = (struct futex_key){.owner = &futex, .addr = phys};
    }
    irq_restore(irq);
    return err;
}

static void link_waiter(struct futex_waiter *w)
{
    unsigned b = bucket(w->key);
    w->next = futex.list[b];
    futex.list[b] = w;
}

/* Takes w off its list if it is still there. Interrupts off. */
static void unlink_waiter(struct futex_waiter *w)
{
    unsigned b = bucket(w->key);
    for (struct futex_waiter **pp = &futex.list[b]; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            return;
        }
    }
}

long futex_wait(struct process *p, bool private, uaddr_t u_addr, uint32_t val,
                uint32_t bitset, uint64_t deadline_ns)
{
    if (u_addr % WORD_ALIGN || !bitset)
        return -EINVAL;
    uint32_t now;
    if (user_copy_in(&now, u_addr, sizeof now) < 0)
        return -EFAULT; /* and now the page is in, for key_of() */
    struct futex_waiter w = {.bitset = bitset, .wq = WAIT_QUEUE_INIT};
    if (key_of(p, u_addr, private, &w.key) < 0)
        return -EFAULT;
    unsigned b = bucket(w.key);
    uint64_t wakes = futex.wakes[b]; /* before the read: see the header */
    if (user_copy_in(&now, u_addr, sizeof now) < 0)
        return -EFAULT;
    if (now != val)
        return -EAGAIN;
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
 * Wakes up to n waiters on key whose bitset meets bitset, then moves up to
 * n_move others to key to. Returns woken + moved. Interrupts off.
 */
static long wake_move(struct futex_key key, int n, uint32_t bitset,
                      struct futex_key to, int n_move)
{
    unsigned b = bucket(key);
    long done = 0;
    futex.wakes[b]++;
    futex.wakes[bucket(to)]++;
    struct futex_waiter **pp = &futex.list[b];
    while (*pp && (n > 0 || n_move > 0)) {
        struct futex_waiter *w = *pp;
        if (!same(w->key, key) || !(w->bitset & bitset)) {
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
            w->key = to;
            link_waiter(w);
            if (pp == &futex.list[b] && bucket(to) == b)
                pp = &w->next; /* relinked in front of us: step over it */
        }
        done++;
    }
    return done;
}

long futex_wake(struct process *p, bool private, uaddr_t u_addr, int n,
                uint32_t bitset)
{
    struct futex_key key;
    if (u_addr % WORD_ALIGN || !bitset)
        return -EINVAL;
    if (key_of(p, u_addr, private, &key) < 0)
        return -EFAULT;
    if (n <= 0)
        n = 1; /* Linux wakes one even when asked for none */
    uint64_t irq = irq_save();
    long r = wake_move(key, n, bitset, key, 0);
    irq_restore(irq);
    return r;
}

long futex_requeue(struct process *p, bool private, uaddr_t u_addr, int n,
                   uaddr_t u_to, int n_move, bool check, uint32_t val)
{
    struct futex_key key, to;
    if (u_addr % WORD_ALIGN || u_to % WORD_ALIGN || n < 0 || n_move < 0)
        return -EINVAL;
    if (key_of(p, u_addr, private, &key) < 0 ||
        key_of(p, u_to, private, &to) < 0)
        return -EFAULT;
    if (check) {
        uint32_t now;
        if (user_copy_in(&now, u_addr, sizeof now) < 0)
            return -EFAULT;
        if (now != val)
            return -EAGAIN;
    }
    uint64_t irq = irq_save();
    long r = wake_move(key, n, FUTEX_BITSET_ANY, to, n_move);
    irq_restore(irq);
    return r;
}
