/*
 * The scheduler: a run queue, a sleep list, the idle task, and the switch.
 *
 * Round-robin: READY tasks wait in one FIFO run queue; the running task
 * gets SCHED_SLICE_TICKS timer ticks (10 ms), then goes to the back of the
 * queue. Why 10 ms and not the seed's 1 ms: every switch costs a save and
 * restore of 512 bytes of FPU state and, with user processes, a CR3 load
 * that empties the TLB (under QEMU's TCG, its whole software TLB), so a
 * 1 ms slice would spend a noticeable share of the CPU switching, while
 * 10 ms is still far below what a person notices; a task that blocks or
 * sleeps gives up the rest of its slice at once, so interactive tasks are
 * not kept waiting by the slice length.
 *
 * The timer interrupt calls sched_tick() on every tick; it never switches
 * inside the handler but sets need_resched, and sched_irq_exit() makes the
 * switch after the EOI (a switch before the EOI would leave the PIC
 * waiting). Voluntary yields arrive on SCHED_YIELD_VECTOR, their own
 * vector, so they neither advance the clock nor send an EOI (the seed
 * reused the timer's vector for both).
 *
 * A task that wakes from a wait or a sleep does not join the back of that
 * queue: it waits in a second FIFO, the woken queue, and the switch takes
 * from the two in turn: a woken task, then one from the run queue, and so
 * on (either queue alone when the other is empty). So a task that blocked
 * on the disk or a pipe runs again after at most one other slice, however
 * many CPU-bound tasks are queued (issue #16's short child among 100
 * execs), while those tasks still get every other turn: two tasks waking
 * each other cannot starve them.
 *
 * The idle task is never on the run queue: it runs only when the queue is
 * empty, halting the CPU until the next interrupt, so it never takes a
 * slice from real work (the seed had two always-ready id-0 tasks).
 *
 * Locking: Ember runs on one CPU, and every structure here is touched by
 * the timer interrupt, so all of it is guarded by interrupts being off.
 * That is the innermost "lock": nothing here sleeps or allocates.
 * See: docs/scheduler.md
 */
#include "sched/sched.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "lib/log.h"
#include "lib/panic.h"
#include "sched/wait.h"
#include "mm/user_copy.h"
#include "mm/vmm.h"
#include "sched/task.h"

#define NS_PER_MS 1000000u

void context_switch(uint64_t *prev_rsp, uint64_t next_rsp);

static struct {
    struct task *idle;
    struct task *ready_head, *ready_tail;
    struct task *woken_head, *woken_tail; /* woke from a wait; see above */
    bool took_woken;                      /* the last pick was a woken task */
    struct task *sleeping;                /* sorted by wake_ns */
    volatile uint64_t ticks;
    bool need_resched;
    bool running;
    uint64_t switches;
    uint64_t window_end; /* tick at which the CPU-% window closes */
} sched;

bool sched_running(void)
{
    return sched.running;
}

struct task *sched_idle_task(void)
{
    return sched.idle;
}

uint64_t sched_ticks(void)
{
    return sched.ticks;
}

uint64_t sched_switch_count(void)
{
    return sched.switches;
}

/* Appends t, now READY, to the FIFO head..tail. */
static void push(struct task **head, struct task **tail, struct task *t)
{
    KASSERT(!(read_rflags() & RFLAGS_IF));
    t->state = TASK_READY;
    t->next_ready = NULL;
    if (*tail)
        (*tail)->next_ready = t;
    else
        *head = t;
    *tail = t;
}

void sched_add(struct task *t)
{
    push(&sched.ready_head, &sched.ready_tail, t);
}

void sched_make_ready(struct task *t)
{
    push(&sched.woken_head, &sched.woken_tail, t);
    /* Idle should not keep the CPU once there is work. */
    if (task_current() == sched.idle)
        sched.need_resched = true;
}

static struct task *pop(struct task **head, struct task **tail)
{
    struct task *t = *head;
    if (t) {
        *head = t->next_ready;
        if (!*head)
            *tail = NULL;
        t->next_ready = NULL;
    }
    return t;
}

/* The woken queue and the run queue in turn (the comment at the top). */
static struct task *pop_ready(void)
{
    bool woken = sched.woken_head && (!sched.took_woken || !sched.ready_head);
    sched.took_woken = woken;
    return woken ? pop(&sched.woken_head, &sched.woken_tail)
                 : pop(&sched.ready_head, &sched.ready_tail);
}

void sched_switch(void)
{
    KASSERT(!(read_rflags() & RFLAGS_IF));
    struct task *prev = task_current();

    sched.need_resched = false;
    if (prev->state == TASK_RUNNING && prev != sched.idle)
        sched_add(prev);
    struct task *next = pop_ready();
    if (!next)
        next = sched.idle;
    next->state = TASK_RUNNING;
    next->slice_left = SCHED_SLICE_TICKS;
    if (next == prev)
        return;
    sched.switches++;
    task_set_current(next);
    tss_set_kernel_stack(next->stack_top);
    syscall_set_kernel_stack(next->stack_top);
    /* Kernel threads run in whatever space is loaded: all share the kernel. */
    if (next->space && next->space != vmm_current())
        vmm_space_switch(next->space);
    prev->fs_base = rdmsr(MSR_FS_BASE);
    wrmsr(MSR_FS_BASE, next->fs_base);
    fpu_save(prev->fpu);
    context_switch(&prev->saved_rsp, next->saved_rsp);
    /* Back in prev, switched to by someone else: its own state again. */
    fpu_restore(task_current()->fpu);
}

static void yield_trap(struct trap_frame *f)
{
    (void)f;
    sched_switch();
}

void sched_yield(void)
{
    __asm__ volatile("int %0" : : "i"(SCHED_YIELD_VECTOR) : "memory");
}

/* Inserts the current task into the sleep list, keeping it sorted. */
static void sleep_insert(struct task *t)
{
    struct task **p = &sched.sleeping;
    while (*p && (*p)->wake_ns <= t->wake_ns)
        p = &(*p)->next_sleeping;
    t->next_sleeping = *p;
    *p = t;
}

void sched_cancel_sleep(struct task *t)
{
    for (struct task **p = &sched.sleeping; *p; p = &(*p)->next_sleeping) {
        if (*p == t) {
            *p = t->next_sleeping;
            t->next_sleeping = NULL;
            return;
        }
    }
}

void sched_add_deadline(uint64_t deadline_ns)
{
    KASSERT(!(read_rflags() & RFLAGS_IF));
    struct task *t = task_current();
    t->wake_ns = deadline_ns;
    t->timed_block = true;
    sleep_insert(t);
}

void sched_sleep_ms(uint64_t ms)
{
    uint64_t flags = irq_save();
    struct task *t = task_current();

    /*
     * The deadline is TSC time, not a tick count: ticks can come late or in
     * a burst, and a sleep must never end early (timer.c). The first tick
     * at or past the deadline wakes the task.
     */
    t->wake_ns = tsc_ns_since_entry() + ms * NS_PER_MS;
    t->state = TASK_SLEEPING;
    sleep_insert(t);
    sched_switch();
    irq_restore(flags);
}

static void wake_sleepers(void)
{
    if (!sched.sleeping)
        return;
    uint64_t now = tsc_ns_since_entry();
    while (sched.sleeping && sched.sleeping->wake_ns <= now) {
        struct task *t = sched.sleeping;
        sched.sleeping = t->next_sleeping;
        t->next_sleeping = NULL;
        if (t->timed_block) {
            t->timed_block = false;
            wq_cancel(t); /* off its queue, READY: the wait timed out */
        } else {
            sched_make_ready(t);
        }
    }
}

static void close_cpu_window(void)
{
    uint64_t flags = irq_save();
    /* Walk every task: task.c keeps the list; it calls back per task. */
    task_close_windows();
    irq_restore(flags);
}

void sched_tick(void)
{
    if (!sched.running)
        return;
    sched.ticks++;
    struct task *cur = task_current();
    cur->cpu_ticks++;
    if (sched.ticks >= sched.window_end) {
        close_cpu_window();
        sched.window_end = sched.ticks + SCHED_HZ;
    }
    wake_sleepers();
    if (cur != sched.idle && cur->slice_left > 0 && --cur->slice_left == 0)
        sched.need_resched = true;
}

void sched_irq_exit(void)
{
    if (sched.running && sched.need_resched)
        sched_switch();
}

unsigned sched_idle_permille(void)
{
    return (unsigned)sched.idle->window_ticks * 1000 / SCHED_HZ;
}

static int idle_loop(void *arg)
{
    (void)arg;
    for (;;) {
        /* sti; hlt is atomic: no interrupt can slip in between. */
        __asm__ volatile("sti; hlt" : : : "memory");
    }
    return 0;
}

/* For the user-copy lock rule (kernel/mm/user_copy.c). */
static unsigned current_mutexes(void)
{
    struct task *cur = task_current();
    return cur ? cur->mutexes_held : 0;
}

void sched_init(void)
{
    struct task *boot = task_create_boot("kmain");

    if (!boot)
        panic("sched: no memory for the boot task");
    boot->state = TASK_RUNNING;
    boot->slice_left = SCHED_SLICE_TICKS;
    task_set_current(boot);
    trap_register(SCHED_YIELD_VECTOR, yield_trap);
    user_copy_set_mutex_count(current_mutexes);

    /* Built but never queued: idle lives outside the run queue. */
    sched.idle = task_alloc("idle", idle_loop, NULL, false);
    if (!sched.idle)
        panic("sched: no memory for the idle task");
    uint64_t flags = irq_save();
    sched.window_end = SCHED_HZ;
    sched.running = true;
    irq_restore(flags);
}
