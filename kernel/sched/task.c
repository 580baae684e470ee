/*
 * Task life cycle: creation, the first instructions, exit, and freeing.
 *
 * task_alloc() takes a task structure and its FPU area from the heap and a
 * kernel stack (with an unmapped guard page below it) from the memory
 * manager, then lays out the new stack so that the scheduler's
 * context_switch() "returns" into task_trampoline, which calls task_start():
 * interrupts on, entry(arg), task_exit(its result).
 *
 * An exited task cannot free its own stack - it is still running on it - so
 * freeing happens elsewhere: task_join() frees a task once it has seen it
 * exit, and the reaper thread frees detached tasks. Every task is on one
 * list (all) for ps; the reaper and task_join() take tasks off it.
 *
 * Locking: the task list, the zombie count and every field marked
 * "scheduler" in task.h are guarded by interrupts being off.
 * See: docs/scheduler.md
 */
#include "sched/task.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "lib/log.h"
#include "lib/panic.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "sched/sched.h"

extern char boot_stack_bottom[], boot_stack_top[]; /* boot.S */
void task_trampoline(void);                        /* switch.S */

static struct {
    struct task *current;     /* interrupts off; set by the scheduler */
    struct task *all;         /* interrupts off */
    uint64_t next_id;         /* interrupts off */
    unsigned zombies;         /* detached and exited, not yet freed */
    struct wait_queue reaper; /* the reaper sleeps here */
} tasks = {.next_id = 1};

struct task *task_current(void)
{
    return tasks.current;
}

void task_set_current(struct task *t)
{
    tasks.current = t;
}

const char *task_state_name(enum task_state s)
{
    static const char *const names[] = {
        [TASK_READY] = "ready",       [TASK_RUNNING] = "running",
        [TASK_SLEEPING] = "sleeping", [TASK_BLOCKED] = "blocked",
        [TASK_EXITED] = "exited",
    };
    return names[s];
}

static struct task *task_new_struct(const char *name, bool detached)
{
    struct task *t = kmalloc(sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->fpu = kmalloc_aligned(FPU_AREA_BYTES, FPU_AREA_ALIGN);
    if (!t->fpu) {
        kfree(t);
        return NULL;
    }
    fpu_init_area(t->fpu);
    size_t n = strnlen(name, TASK_NAME_MAX - 1);
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    t->detached = detached;
    return t;
}

static void task_link(struct task *t)
{
    uint64_t flags = irq_save();
    t->id = tasks.next_id++;
    t->next_all = tasks.all;
    tasks.all = t;
    irq_restore(flags);
}

struct task *task_alloc(const char *name, task_entry_fn entry, void *arg,
                        bool detached)
{
    struct task *t = task_new_struct(name, detached);
    if (!t)
        return NULL;
    void *top = vmm_alloc_kernel_stack(TASK_STACK_PAGES);
    if (!top) {
        kfree(t->fpu);
        kfree(t);
        return NULL;
    }
    t->stack_top = (uint64_t)(uintptr_t)top;
    t->stack_base = t->stack_top - TASK_STACK_PAGES * PMM_FRAME_SIZE;

    /*
     * The top TASK_FRAME_BYTES stay free for a ring-3 task's trap frame
     * (interrupts from user mode push it at TSS.RSP0 = stack_top); the
     * kernel side of every task runs below. Then what context_switch()
     * pops: r15 r14 r13 r12 rbx rbp, and the return address, placed so that
     * task_start() is entered with the ABI's stack alignment.
     */
    uint64_t *sp = (uint64_t *)(uintptr_t)(t->stack_top - TASK_FRAME_BYTES);
    *--sp = (uint64_t)(uintptr_t)task_trampoline; /* return address */
    *--sp = 0;                                    /* rbp */
    *--sp = 0;                                    /* rbx */
    *--sp = (uint64_t)(uintptr_t)entry;           /* r12 */
    *--sp = (uint64_t)(uintptr_t)arg;             /* r13 */
    *--sp = 0;                                    /* r14 */
    *--sp = 0;                                    /* r15 */
    t->saved_rsp = (uint64_t)(uintptr_t)sp;
    t->state = TASK_READY;
    task_link(t);
    return t;
}

struct task *task_create(const char *name, task_entry_fn entry, void *arg,
                         bool detached)
{
    struct task *t = task_alloc(name, entry, arg, detached);
    if (t) {
        uint64_t flags = irq_save();
        sched_add(t);
        irq_restore(flags);
    }
    return t;
}

struct task *task_create_boot(const char *name)
{
    struct task *t = task_new_struct(name, false);
    if (!t)
        return NULL;
    t->boot_stack = true;
    t->stack_base = (uint64_t)(uintptr_t)boot_stack_bottom;
    t->stack_top = (uint64_t)(uintptr_t)boot_stack_top;
    task_link(t);
    return t;
}

void task_start(task_entry_fn entry, void *arg)
{
    /* We arrive from sched_switch() with interrupts off and no FPU state. */
    fpu_restore(task_current()->fpu);
    sti();
    task_exit(entry(arg));
}

void task_exit(int status)
{
    cli();
    struct task *t = task_current();
    KASSERT(!t->boot_stack);
    t->exit_status = status;
    t->state = TASK_EXITED;
    wq_wake_all(&t->exited);
    if (t->detached) {
        tasks.zombies++;
        wq_wake_all(&tasks.reaper);
    }
    sched_switch();
    panic("task: exited task %lu was scheduled again", (unsigned long)t->id);
}

static void task_unlink(struct task *t)
{
    for (struct task **p = &tasks.all; *p; p = &(*p)->next_all) {
        if (*p == t) {
            *p = t->next_all;
            return;
        }
    }
}

static void task_free(struct task *t)
{
    vmm_free_kernel_stack((void *)(uintptr_t)t->stack_top, TASK_STACK_PAGES);
    kfree(t->fpu);
    kfree(t);
}

int task_join(struct task *t)
{
    KASSERT(!t->detached);
    WAIT_EVENT(&t->exited, t->state == TASK_EXITED);
    uint64_t flags = irq_save();
    task_unlink(t);
    irq_restore(flags);
    int status = t->exit_status;
    task_free(t);
    return status;
}

/* Takes one exited detached task off the list, or returns NULL. */
static struct task *take_zombie(void)
{
    for (struct task **p = &tasks.all; *p; p = &(*p)->next_all) {
        struct task *t = *p;
        if (t->detached && t->state == TASK_EXITED) {
            *p = t->next_all;
            tasks.zombies--;
            return t;
        }
    }
    return NULL;
}

static int reaper_loop(void *arg)
{
    (void)arg;
    for (;;) {
        struct task *t;
        uint64_t flags = irq_save();
        while ((t = take_zombie()) == NULL)
            wq_block(&tasks.reaper);
        irq_restore(flags);
        task_free(t);
    }
    return 0;
}

void task_init_reaper(void)
{
    if (!task_create("reaper", reaper_loop, NULL, false))
        panic("task: no memory for the reaper");
}

unsigned task_zombie_count(void)
{
    return tasks.zombies;
}

void task_close_windows(void)
{
    for (struct task *t = tasks.all; t; t = t->next_all) {
        t->window_ticks = t->cpu_ticks - t->window_start;
        t->window_start = t->cpu_ticks;
    }
}

int task_list(struct task_info *out, int max)
{
    int n = 0;
    uint64_t flags = irq_save();
    for (struct task *t = tasks.all; t; t = t->next_all, n++) {
        if (n >= max)
            continue;
        out[n].id = t->id;
        memcpy(out[n].name, t->name, TASK_NAME_MAX);
        out[n].state = t->state;
        out[n].cpu_ms = t->cpu_ticks * 1000 / SCHED_HZ;
        out[n].cpu_permille = (unsigned)(t->window_ticks * 1000 / SCHED_HZ);
    }
    irq_restore(flags);
    return n;
}

void task_print_list(void)
{
    struct task_info info[64];
    int n = task_list(info, 64);

    kprintf("  ID  NAME                     STATE     CPU ms   CPU%%\n");
    for (int i = 0; i < n && i < 64; i++)
        kprintf("%4lu  %-24s %-9s %7lu  %3u.%u\n", (unsigned long)info[i].id,
                info[i].name, task_state_name(info[i].state),
                (unsigned long)info[i].cpu_ms, info[i].cpu_permille / 10,
                info[i].cpu_permille % 10);
    unsigned idle = sched_idle_permille();
    kprintf("idle: %u.%u%%\n", idle / 10, idle % 10);
}

_Static_assert(TASK_FRAME_BYTES == sizeof(struct trap_frame),
               "the user frame at a stack's top");
