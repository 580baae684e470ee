/*
 * Processes: a ring-3 program's address space, files, directory, family
 * and signals, around the task that runs it.
 *
 * A process runs as one or more threads (kernel/proc/thread.h), each one
 * struct task. A process is created by fork() (or, for init, by
 * proc_spawn_init()), gains threads with clone(CLONE_THREAD), replaces its
 * image with execve(), and ends with exit_group(), its last thread's
 * exit() or a signal; it then stays a zombie, holding only its exit
 * status, until its parent's wait4() frees it. Orphans are handed to init
 * (pid 1), which reaps them.
 *
 * Locking: the process list and the parent/child links are guarded by
 * proc_lock (a sleeping mutex), except where an interrupt handler sends a
 * signal (pending bits: interrupts off). Each process's own uvm, fdtable
 * and cwd are touched only by its own threads (see uvm.h, file.h).
 * See: docs/usermode.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <ember/signal.h>

#include "arch/x86_64/trap.h"
#include "fs/vfs.h"
#include "mm/layout.h"
#include "proc/procinfo.h"
#include "proc/thread.h"
#include "sched/wait.h"

struct task;
struct uvm;
struct fdtable;
struct trap_frame;

struct process {
    /* Set at creation; pgid and sid change with setpgid/setsid (own task). */
    int pid, pgid, sid;
    char name[PROC_NAME_MAX];
    char cmdline[PROC_CMDLINE_MAX]; /* argv, NUL-separated */
    size_t cmdline_len;
    uint64_t start_ticks;

    /* Threads: the list and counts change with interrupts off. */
    struct thread *threads;         /* every thread not yet gone */
    int nthreads;                   /* on the list */
    int live;                       /* not yet exiting: the last one ends p */
    struct thread *survivor;        /* exit_group/execve: the one that stays */
    struct wait_queue threads_gone; /* the survivor waits here */
    uint64_t gone_ticks;            /* CPU ticks of threads that have left */
    struct thread first;            /* the first thread; tid == pid */

    /* Owned by the process's threads. */
    struct uvm *uvm;
    struct fdtable *fds;
    struct vfs_node *cwd; /* the working directory; NULL: the root */
    struct vfs_node *exe; /* the program running, for /proc/self/exe */
    unsigned umask;       /* kept and reported; FAT32 stores no modes */
    int nice;             /* -20..19, kept and reported; the scheduler is
                             round-robin and does not weigh it */

    /* Family: guarded by proc_lock. */
    struct process *parent;
    struct process *children;     /* first child */
    struct process *next_sibling; /* in the parent's list */
    struct process *next_all;     /* every process, by ascending pid */
    bool zombie;
    int wait_status;              /* Linux's wait4 encoding */
    struct wait_queue child_wait; /* this process waits here for children */
    uint64_t child_events;        /* bumped when a child becomes a zombie */

    /* Signals: interrupts off. Masks are per thread (struct thread). */
    uint64_t sig_pending; /* process-directed: any thread may take them */
    uint64_t sig_ignored; /* SIG_IGN dispositions (kept across execve) */
    struct linux_siginfo sig_info[SIG_COUNT]; /* of each pending signal */
    bool stopped;              /* SIGSTOP and friends: until SIGCONT */
    int stop_sig;              /* the signal that stopped it */
    bool stop_report;          /* a stop wait4(WUNTRACED) has not seen */
    bool cont_report;          /* a continue wait4(WCONTINUED) has not seen */
    bool cont_notify;          /* continued: tell the parent (own task) */
    struct wait_queue stop_wq; /* the stopped task waits here */

    /* Owned by the process's threads. */
    struct kernel_sigaction sig_action[SIG_COUNT];
    uint64_t alarm_ns;       /* ITIMER_REAL: TSC deadline, 0 = none */
    uint64_t alarm_every_ns; /* its interval, 0 = once */
};

/* The calling task's process, or NULL for a kernel thread. */
struct process *proc_current(void);

/* Looks a process up by pid (proc_lock held by the caller). */
struct process *proc_find(int pid);

/*
 * Looks a thread up by tid in every live process (proc_lock held by the
 * caller); NULL if there is none.
 */
struct thread *proc_find_thread(int tid);

/* The next process or thread id (proc_lock held). */
int proc_new_id(void);

/* The process-family lock (a sleeping mutex). */
void proc_lock(void);
void proc_unlock(void);

/*
 * Starts process 1 from the program `path` with argv (NULL-terminated).
 * 0, or an error (the file is missing or not a program). Context: boot task.
 */
int proc_spawn_init(const char *path, char *const argv[]);

/* fork(): the child's pid to the parent; the child returns 0 in f. */
long proc_fork(struct trap_frame *f);

/*
 * fork() whose child starts from child_f (clone's new stack) instead, and
 * (u_child_tid != 0) finds its pid stored there in its own memory.
 */
long proc_fork_frame(struct trap_frame *f, const struct trap_frame *child_f,
                     uaddr_t u_child_tid);

/*
 * execve(): replaces the calling process's image. On success the frame is
 * set to enter the new program and 0 is returned (the caller must not
 * touch f->rax); on failure the old image is intact and -errno returned.
 */
long proc_execve(struct trap_frame *f, const char *path, char *const argv[],
                 char *const envp[]);

/*
 * Ends the calling process (all its threads: exit_group) with a wait
 * status; never returns. If another thread is already ending the process,
 * the caller only leaves.
 */
void proc_exit(int wait_status) __attribute__((noreturn));

/*
 * wait4(pid, ...) and waitid: reaps a zombie child (pid -1: any; > 0: that
 * one; 0 / < -1: a group) when options has WEXITED, or reports a stop
 * (WUNTRACED) or a continue (WCONTINUED). Returns its pid and sets *status
 * (wait4's encoding), 0 with WNOHANG and nothing ready, -ECHILD, or
 * -EINTR. With WNOWAIT the child and its report stay for a later wait.
 */
long proc_wait(int pid, int *status, int options);

/*
 * A ring-3 fault that the kernel will not resolve: a one-line report
 * (program, pid, fault, address, RIP), then the process ends with sig.
 */
void proc_fault(struct trap_frame *f, int sig, uint64_t addr)
    __attribute__((noreturn));

/*
 * The page-fault path for user addresses: a ring-3 fault, or a kernel user
 * copy's. Resolves it (zero-fill, copy-on-write, stack growth) and returns
 * true; for a bad user access kills the process (or makes the user copy
 * return -EFAULT). Returns false for a fault that is the kernel's own bug.
 * Context: interrupt (the page-fault trap), interrupts off.
 */
bool proc_page_fault(struct trap_frame *f, uint64_t addr);

/*
 * The page-fault trap handler proc_init() installs: proc_page_fault() with
 * CR2, and mm's report and panic for what it declines. Interrupts off.
 */
void proc_page_fault_trap(struct trap_frame *f);

/* What the trap layer does for ring 3: signals for exceptions, delivery. */
extern const struct trap_user_ops proc_trap_ops;

/*
 * Registers the process floor's hooks below it (the trap layer's user ops
 * and page-fault handler, the signal check of interruptible waits) and
 * mounts /proc. Boot, after vfs_init().
 */
void proc_init(void);

/*
 * The most processes (live and zombie) there may be at once: past it fork
 * returns -EAGAIN, as Linux does at RLIMIT_NPROC, and getrlimit reports it.
 * A fork bomb then meets an error long before it has taken every frame,
 * when the frames it would take first are those of its own parent's
 * copy-on-write stack (tests/user/hostile_exhaust.c).
 */
#define PROC_MAX 256

/*
 * Sends SIGALRM to every process whose ITIMER_REAL deadline is at or
 * before now_ns (rearming periodic ones); returns the earliest deadline
 * left, or UINT64_MAX. Any context (interrupts are turned off here).
 */
uint64_t proc_fire_alarms(uint64_t now_ns);

/*
 * alarm and setitimer(ITIMER_REAL): arms the calling process's timer to
 * fire in value_ns (0: disarm), then every interval_ns (0: once). Stores
 * what was left of the old one and its interval. Context: task.
 */
void proc_set_alarm(uint64_t value_ns, uint64_t interval_ns,
                    uint64_t *old_left_ns, uint64_t *old_interval_ns);

/* Counts live and zombie processes. */
int proc_count(void);

/*
 * getpriority(2) and setpriority(2): which is PRIO_PROCESS, PRIO_PGRP or
 * PRIO_USER, who a pid, a pgid or a uid (0: the caller's own). Get returns
 * the lowest nice value among the matches; set clamps nice to -20..19 and
 * gives it to every match. Both return -ESRCH with no match, -EINVAL for
 * another which.
 */
int proc_nice_get(int which, int who, int *nice);
int proc_nice_set(int which, int who, int nice);

/*
 * Called when a process of group pgid in session sid has exited: if the
 * group is now empty and owned the terminal's foreground, the foreground
 * goes back to the session leader's group (the seed's exit cleanup).
 */
void proc_foreground_check(int pgid, int sid);

/* True if some live process of group pgid is stopped. Context: any. */
bool proc_pgid_stopped(int pgid);

/* ---- for kernel/proc/ only ---- */

/* Gives p the next pid and adds it to the list (proc_lock held). */
void proc_link(struct process *p);
/* Takes p off the list (proc_lock held). */
void proc_unlink(struct process *p);
/* Sets p's name (from path) and command line (from argv). */
void proc_set_cmdline(struct process *p, const char *path, char *const argv[]);
