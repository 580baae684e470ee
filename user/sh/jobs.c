/*
 * Jobs: pipelines started with '&', and waiting for children.
 *
 * A job is a pipeline's processes, its process group and the text it was
 * typed as. All waiting goes through waitpid(-1): whichever child ends,
 * foreground or background, is reaped at once and its status noted, so no
 * zombie is left behind and no end is missed. A background job whose last
 * process has ended is reported before the next prompt, as bash does:
 *
 *   [1]+  Done                    sleep 1
 *
 * Ember has no stop signals (no ctrl-z), so a job is only ever running or
 * done; fg hands it the terminal and waits for it, and there is no bg.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define JOBS_MAX 256 /* running at once; ended ones make room (make_room) */

struct job {
    int id; /* 0: the slot is free */
    pid_t pgid;
    pid_t *pids;
    bool *ended;
    int npids, left;
    int wstatus; /* the last process's, once it has ended */
    char *text;
};

static struct job jobs[JOBS_MAX];

static void job_free(struct job *j)
{
    free(j->pids);
    free(j->ended);
    free(j->text);
    memset(j, 0, sizeof *j);
}

/* The newest job (the "+" one), or NULL. */
static struct job *newest(void)
{
    struct job *best = NULL;
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id && (!best || jobs[i].id > best->id))
            best = &jobs[i];
    return best;
}

static void reap(void);

/* Makes room for one job when the table is full: a script that starts
 * many and never waits drops the oldest that has ended. */
static void make_room(void)
{
    struct job *oldest = NULL;
    for (int i = 0; i < JOBS_MAX; i++)
        if (!jobs[i].id)
            return;
    reap();
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].left == 0 && (!oldest || jobs[i].id < oldest->id))
            oldest = &jobs[i];
    if (oldest)
        job_free(oldest);
}

int jobs_add(pid_t pgid, const pid_t *pids, int npids, const char *text)
{
    struct job *top = newest();
    int id = top ? top->id + 1 : 1;
    make_room();
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (j->id)
            continue;
        j->id = id;
        j->pgid = pgid;
        j->pids = calloc((size_t)npids, sizeof *pids);
        j->ended = calloc((size_t)npids, sizeof *j->ended);
        memcpy(j->pids, pids, sizeof *pids * (size_t)npids);
        j->npids = j->left = npids;
        j->text = strdup(text ? text : "");
        return id;
    }
    sh_error("too many jobs; this one is not tracked");
    return 0;
}

/* A background process ended: marks it in its job. */
static void note_ended(pid_t pid, int wstatus)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        for (int k = 0; j->id && k < j->npids; k++) {
            if (j->pids[k] != pid || j->ended[k])
                continue;
            j->ended[k] = true;
            j->left--;
            if (k == j->npids - 1)
                j->wstatus = wstatus;
            return;
        }
    }
}

/* Says how a foreground job ended, if a signal ended it. */
static void report_signal(int wstatus)
{
    if (!WIFSIGNALED(wstatus))
        return;
    int sig = WTERMSIG(wstatus);
    if (sig == SIGINT) {
        sh.interrupted = true;
        if (sh.interactive)
            fputc('\n', stderr); /* the terminal echoed ^C, not a newline */
    } else if (sig != SIGPIPE) {
        fprintf(stderr, "%s\n", strsignal(sig));
    }
}

int jobs_wait_pids(const pid_t *pids, int npids)
{
    int left = 0, wstatus = 0;
    for (int i = 0; i < npids; i++)
        left += pids[i] > 0;
    while (left > 0) {
        int w;
        pid_t pid = waitpid(-1, &w, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        bool mine = false;
        for (int i = 0; i < npids; i++) {
            if (pids[i] == pid) {
                mine = true;
                left--;
                if (i == npids - 1)
                    wstatus = w;
            }
        }
        if (!mine)
            note_ended(pid, w);
    }
    report_signal(wstatus);
    return exec_status(wstatus);
}

/* Reaps whatever has ended, without blocking. */
static void reap(void)
{
    int w;
    pid_t pid;
    while ((pid = waitpid(-1, &w, WNOHANG)) > 0)
        note_ended(pid, w);
}

/* "Done", "Exit 2", "Killed": how a job ended, or "Running". */
static const char *state(const struct job *j, char *buf, size_t cap)
{
    if (j->left > 0)
        return "Running";
    if (WIFSIGNALED(j->wstatus))
        return strsignal(WTERMSIG(j->wstatus));
    if (WEXITSTATUS(j->wstatus) == 0)
        return "Done";
    snprintf(buf, cap, "Exit %d", WEXITSTATUS(j->wstatus));
    return buf;
}

static void print_job(const struct job *j, bool amp)
{
    char buf[32];
    const struct job *top = newest();
    fprintf(stderr, "[%d]%c  %-24s%s%s\n", j->id, j == top ? '+' : ' ',
            state(j, buf, sizeof buf), j->text, amp ? " &" : "");
}

void jobs_notify(void)
{
    reap();
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].id && jobs[i].left == 0) {
            print_job(&jobs[i], false);
            job_free(&jobs[i]);
        }
    }
}

int jobs_list(void)
{
    reap();
    for (int last = 0;;) {
        struct job *next = NULL; /* the lowest id above last */
        for (int i = 0; i < JOBS_MAX; i++)
            if (jobs[i].id > last && (!next || jobs[i].id < next->id))
                next = &jobs[i];
        if (!next)
            return 0;
        last = next->id;
        print_job(next, next->left > 0);
        if (next->left == 0)
            job_free(next);
    }
}

int jobs_fg(int n)
{
    reap();
    struct job *j = NULL;
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id && jobs[i].id == n)
            j = &jobs[i];
    if (n == 0)
        j = newest();
    if (!j) {
        if (n)
            sh_error("fg: %%%d: no such job", n);
        else
            sh_error("fg: no current job");
        return 1;
    }
    fprintf(stderr, "%s\n", j->text);
    pid_t *left = calloc((size_t)j->npids, sizeof *left);
    for (int k = 0; k < j->npids; k++)
        left[k] = j->ended[k] ? 0 : j->pids[k];
    int status;
    if (j->left == 0) {
        status = exec_status(j->wstatus);
    } else {
        exec_give_terminal(j->pgid);
        status = jobs_wait_pids(left, j->npids);
        exec_give_terminal(sh.pgid);
        if (j->ended[j->npids - 1])
            status = exec_status(j->wstatus);
    }
    free(left);
    job_free(j);
    return status;
}

/* The job a "%n", "%%" or "%+" names, or NULL. */
static struct job *job_of(const char *spec)
{
    if (strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 ||
        strcmp(spec, "%") == 0)
        return newest();
    char *end;
    long n = strtol(spec + 1, &end, 10);
    for (int i = 0; i < JOBS_MAX && !*end; i++)
        if (jobs[i].id && jobs[i].id == n)
            return &jobs[i];
    return NULL;
}

int jobs_pids(const char *spec, pid_t *out, int cap)
{
    struct job *j = job_of(spec);
    if (!j)
        return -1;
    int n = 0;
    for (int k = 0; k < j->npids && n < cap; k++)
        if (!j->ended[k])
            out[n++] = j->pids[k];
    return n;
}

/* Waits for the rest of job j; its status (the last process's). */
static int wait_for(struct job *j)
{
    pid_t *left = calloc((size_t)j->npids, sizeof *left);
    for (int k = 0; k < j->npids; k++)
        left[k] = j->ended[k] ? 0 : j->pids[k];
    int status = exec_status(j->wstatus);
    if (j->left > 0) {
        status = jobs_wait_pids(left, j->npids);
        if (j->ended[j->npids - 1])
            status = exec_status(j->wstatus);
    }
    free(left);
    job_free(j);
    return status;
}

int jobs_wait(int argc, char **argv)
{
    reap();
    if (argc == 1) {
        for (int i = 0; i < JOBS_MAX; i++)
            if (jobs[i].id)
                wait_for(&jobs[i]);
        return 0;
    }
    int status = 0;
    for (int a = 1; a < argc; a++) {
        struct job *j = argv[a][0] == '%' ? job_of(argv[a]) : NULL;
        long pid = argv[a][0] == '%' ? 0 : strtol(argv[a], NULL, 10);
        for (int i = 0; i < JOBS_MAX && !j && pid > 0; i++)
            for (int k = 0; jobs[i].id && k < jobs[i].npids; k++)
                if (jobs[i].pids[k] == pid)
                    j = &jobs[i];
        status = j ? wait_for(j) : SH_STATUS_NOT_FOUND;
    }
    return status;
}
