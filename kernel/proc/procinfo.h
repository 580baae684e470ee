/*
 * What the rest of the kernel may ask about processes: the caller's ids,
 * process groups and sessions, and snapshots for /proc and ps.
 *
 * The process structure itself stays private to kernel/proc/; the file
 * side (the terminal, /proc) uses only these calls.
 *
 * Context: task, unless a function says otherwise.
 * See: docs/usermode.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROC_NAME_MAX    16
#define PROC_CMDLINE_MAX 256

/* The calling task's process ids; 0 for a kernel thread (no process). */
int proc_current_pid(void);
int proc_current_pgid(void);
int proc_current_sid(void);

/*
 * True if the calling task's process has a signal to act on. False for
 * kernel threads. proc_init() registers it as the scheduler's question for
 * interruptible waits (wait_signal_pending(): a blocked terminal or pipe
 * read then returns -EINTR).
 */
bool proc_signal_pending(void);

/* True if some live process has process-group id pgid in session sid. */
bool proc_pgid_in_session(int pgid, int sid);

/* True if some live (not zombie) process is in group pgid. */
bool proc_pgid_alive(int pgid);

/*
 * Sends signal sig to every process in group pgid. Returns 0, or -ESRCH if
 * the group is empty. Context: any (it turns interrupts off itself); the
 * terminal's thread sends SIGINT on ctrl-c.
 */
int proc_signal_group(int pgid, int sig);

/* True if the calling process ignores or blocks sig; false for a kernel
 * thread. */
bool proc_current_sig_ignored(int sig);

/*
 * True if group pgid is orphaned: no live member has a parent in another
 * group of the same session. The terminal's job control gives such a
 * group -EIO instead of a stop signal nobody would undo, as Linux does.
 */
bool proc_pgid_orphaned(int pgid);

struct proc_info {
    int pid, ppid, pgid, sid;
    int tid;      /* the thread's id; the pid in a process's own snapshot */
    int nthreads; /* the process's threads */
    char state;   /* 'R' running/ready, 'S' sleeping/blocked, 'T' stopped,
                     'Z' zombie */
    int nice;     /* -20..19 */
    char name[PROC_NAME_MAX];
    uint64_t cpu_ticks;             /* 1 ms ticks of CPU time */
    uint64_t start_ticks;           /* sched_ticks() when it started */
    uint64_t vm_bytes;              /* mapped user memory */
    uint64_t rss_pages;             /* present user pages */
    char cmdline[PROC_CMDLINE_MAX]; /* argv, each NUL-terminated */
    size_t cmdline_len;
    /* Signal sets, bit n-1 for signal n (the first thread's own for a
     * process's snapshot, as Linux shows the leader's). */
    uint64_t sig_pending; /* directed at the thread */
    uint64_t sig_shared;  /* directed at the process */
    uint64_t sig_blocked;
    uint64_t sig_ignored; /* SIG_IGN */
    uint64_t sig_caught;  /* a handler */
};

/* Snapshots of up to max processes, sorted by pid; returns how many exist. */
int proc_list(struct proc_info *out, int max);

/* One process's snapshot: 0, or -ESRCH. */
int proc_info_get(int pid, struct proc_info *out);

/*
 * The ids of process pid's threads, ascending, up to max of them into
 * tids; returns how many it has, or -ESRCH (no such process, or a zombie).
 */
int proc_thread_ids(int pid, int *tids, int max);

/* The pid of the process thread tid belongs to, or -ESRCH. */
int proc_thread_owner(int tid);

/*
 * Thread tid of process pid: proc_info_get()'s snapshot with the thread's
 * own id, state, CPU time, mask and pending set. 0, or -ESRCH.
 */
int proc_thread_info_get(int pid, int tid, struct proc_info *out);
