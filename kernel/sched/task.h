/*
 * Tasks: the unit the scheduler runs. A kernel thread is a task; each
 * thread of a ring-3 process is one task with an address space (`space`)
 * and `proc` and `thread` pointers the scheduler never follows: processes
 * and their threads live two floors up, in kernel/proc/.
 *
 * A task is created READY by task_create() with an entry function and an
 * argument, runs until its function returns or it calls task_exit(), and is
 * then EXITED until someone frees it: task_join() (which waits for it and
 * returns its status) or, for a detached task, the reaper thread.
 *
 * Locking: the fields under "scheduler" are guarded by interrupts being off
 * (Ember runs on one CPU, so that is the scheduler's lock; see
 * kernel/sched/sched.c). The rest are set at creation and then read-only,
 * or owned by the task itself.
 * See: docs/scheduler.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/frame.h"
#include "sched/wait.h"

#define TASK_NAME_MAX    24
#define TASK_STACK_PAGES 4 /* 16 KiB kernel stack, above a guard page */
#define TASK_FRAME_BYTES FRAME_BYTES /* the trap frame, kept at the top */

enum task_state {
    TASK_READY,
    TASK_RUNNING,
    TASK_SLEEPING, /* in the sleep list, until wake_ns */
    TASK_BLOCKED,  /* in a wait queue */
    TASK_EXITED,
};

struct process;
struct thread;
struct vmm_space;

struct task {
    /* Set at creation, then read-only. */
    uint64_t id;
    char name[TASK_NAME_MAX];
    uint64_t stack_top;  /* highest address of the kernel stack */
    uint64_t stack_base; /* lowest mapped address (the guard is below) */
    uint8_t *fpu;        /* FPU_AREA_BYTES, 16-byte aligned */
    bool detached;       /* freed by the reaper, not by task_join() */
    bool boot_stack;     /* the boot task: its stack is not ours to free */

    /* A ring-3 task's process and address space; NULL for kernel threads. */
    struct process *proc;
    struct thread *thread;   /* the process's thread this task runs */
    struct vmm_space *space; /* loaded by sched_switch() when it changes */
    uint64_t fs_base;        /* the FS base (TLS), saved on every switch */
    unsigned mutexes_held;   /* owned by the task: for the user-copy rule */

    /* Scheduler: interrupts off. */
    enum task_state state;
    uint64_t saved_rsp;         /* for context_switch() */
    uint64_t wake_ns;           /* TASK_SLEEPING: TSC uptime to wake at */
    bool timed_block;           /* BLOCKED and also in the sleep list */
    unsigned slice_left;        /* ticks until preemption */
    struct task *next_ready;    /* run queue link */
    struct task *next_sleeping; /* sleep list link, sorted by wake_ns */
    struct task *next_waiting;  /* wait queue link */
    struct task *next_all;      /* every task, for ps and the reaper */
    struct wait_queue *waiting_on;
    uint64_t cpu_ticks;    /* ticks spent running */
    uint64_t window_ticks; /* ticks in the last whole CPU-% window */
    uint64_t window_start; /* cpu_ticks when the window began */
    int exit_status;
    struct wait_queue exited; /* joiners wait here */
};

typedef int (*task_entry_fn)(void *arg);

/*
 * Creates a READY task that runs entry(arg); its return value is its exit
 * status. Returns the task, or NULL when memory is exhausted. A detached
 * task frees itself when it exits; any other must be task_join()ed.
 * Context: task.
 */
struct task *task_create(const char *name, task_entry_fn entry, void *arg,
                         bool detached);

/* Ends the calling task with `status`. Context: task. */
void task_exit(int status) __attribute__((noreturn));

/*
 * Waits until t has exited, frees it and returns its exit status.
 * Context: task; sleeps.
 */
int task_join(struct task *t);

/* The running task; NULL before sched_init(). */
struct task *task_current(void);

/*
 * Makes t the running task: only the scheduler calls it, at a switch and
 * once at boot. Interrupts off.
 */
void task_set_current(struct task *t);

/* A snapshot of one task, for ps and the tests. */
struct task_info {
    uint64_t id;
    char name[TASK_NAME_MAX];
    enum task_state state;
    uint64_t cpu_ms;
    unsigned cpu_permille; /* over the last whole second */
};

/* Fills up to max entries; returns how many tasks there are. Context: any. */
int task_list(struct task_info *out, int max);

const char *task_state_name(enum task_state s);

/* Prints the task list (id, name, state, CPU time, CPU %, idle %) to the log.
 */
void task_print_list(void);

/*
 * Builds a task without queueing it (the scheduler queues it, or keeps it
 * aside, as the idle task). NULL when memory is exhausted. Context: task.
 */
struct task *task_alloc(const char *name, task_entry_fn entry, void *arg,
                        bool detached);

/* Wraps the boot flow, on the boot stack, as the first task. Boot. */
struct task *task_create_boot(const char *name);

/* Closes the per-second CPU-% window of every task. Interrupts off. */
void task_close_windows(void);

/* Called from task_trampoline in kernel/arch/x86_64/switch.S. */
void task_start(task_entry_fn entry, void *arg) __attribute__((noreturn));

/* Starts the reaper thread. Boot, after sched_init(). */
void task_init_reaper(void);

/* Number of tasks that have exited and not yet been freed (tests). */
unsigned task_zombie_count(void);
