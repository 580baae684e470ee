/*
 * Jobs: pipelines started with '&' or stopped with ctrl-z, and waiting for
 * children.
 *
 * A job is a pipeline's processes, its process group and the text it was
 * typed as. All waiting goes through waitpid(-1): whichever child ends,
 * foreground or background, is reaped at once and its status noted, so no
 * zombie is left behind and no end is missed. A background job whose last
 * process has ended is reported before the next prompt, as bash does:
 *
 *   [1]+  Done                    sleep 1
 *
 * On a terminal (job control) a foreground pipeline is a job too while the
 * shell waits for it, with WUNTRACED: when ctrl-z (SIGTSTP) or a read from
 * the background (SIGTTIN) stops all its processes the shell takes the
 * terminal back, keeps the job's terminal modes and says
 *
 *   [1]+  Stopped                 sleep 100
 *
 * fg continues it (SIGCONT to its group) in the foreground, bg in the
 * background. The current job ("+", what fg and bg take by default) is
 * the one most recently started, stopped or continued in the background.
 *
 * See: docs/userland.md, docs/tty.md
 */
#include "sh.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define JOBS_MAX 256 /* running at once; ended ones make room (make_room) */

struct job {
    int id; /* 0: the slot is free */
    pid_t pgid;
    pid_t *pids;
    bool *ended;
    bool *stopped;
    int npids, left;
    int wstatus;     /* the last process's, once it has ended */
    int stop_sig;    /* what stopped it last */
    unsigned seq;    /* the highest is the current job */
    bool told;       /* its stop was reported */
    bool foreground; /* the shell is waiting for it */
    bool have_modes; /* modes: the terminal as the job left it */
    struct termios modes;
    char *text;
};

static struct job jobs[JOBS_MAX];
static unsigned seq; /* counts starts, stops and bg's */
static struct termios shell_modes;
static bool have_shell_modes;

static void job_free(struct job *j)
{
    free(j->pids);
    free(j->ended);
    free(j->stopped);
    free(j->text);
    memset(j, 0, sizeof *j);
}

/* The current job (the "+" one), or NULL. */
static struct job *current(void)
{
    struct job *best = NULL;
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id && !jobs[i].foreground &&
            (!best || jobs[i].seq > best->seq))
            best = &jobs[i];
    return best;
}

static int highest_id(void)
{
    int id = 0;
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id > id && !jobs[i].foreground)
            id = jobs[i].id;
    return id;
}

/* True if every process of j that has not ended is stopped. */
static bool is_stopped(const struct job *j)
{
    if (j->left == 0)
        return false;
    for (int k = 0; k < j->npids; k++)
        if (!j->ended[k] && !j->stopped[k])
            return false;
    return true;
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

static struct job *add(pid_t pgid, const pid_t *pids, int npids,
                       const char *text)
{
    int id = highest_id() + 1;
    make_room();
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (j->id)
            continue;
        j->id = id;
        j->pgid = pgid;
        j->pids = calloc((size_t)npids, sizeof *pids);
        j->ended = calloc((size_t)npids, sizeof *j->ended);
        j->stopped = calloc((size_t)npids, sizeof *j->stopped);
        memcpy(j->pids, pids, sizeof *pids * (size_t)npids);
        j->npids = j->left = npids;
        for (int k = 0; k < npids; k++) {
            if (pids[k] <= 0) { /* its fork failed */
                j->ended[k] = true;
                j->left--;
            }
        }
        j->seq = ++seq;
        j->text = strdup(text ? text : "");
        return j;
    }
    return NULL;
}

int jobs_add(pid_t pgid, const pid_t *pids, int npids, const char *text)
{
    struct job *j = add(pgid, pids, npids, text);
    if (!j) {
        sh_error("too many jobs; this one is not tracked");
        return 0;
    }
    return j->id;
}

/* A child changed (ended, stopped, continued): marks it in its job. */
static void note(pid_t pid, int wstatus)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        for (int k = 0; j->id && k < j->npids; k++) {
            if (j->pids[k] != pid || j->ended[k])
                continue;
            if (WIFSTOPPED(wstatus)) {
                j->stopped[k] = true;
                j->stop_sig = WSTOPSIG(wstatus);
                j->told = false;
            } else if (WIFCONTINUED(wstatus)) {
                j->stopped[k] = false;
            } else {
                j->ended[k] = true;
                j->stopped[k] = false;
                j->left--;
                if (k == j->npids - 1)
                    j->wstatus = wstatus;
            }
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

/* waitpid(-1) with the options job control needs; EINTR is retried. */
static pid_t wait_any(int *w, int options)
{
    if (sh.interactive)
        options |= WUNTRACED | WCONTINUED;
    pid_t pid;
    while ((pid = waitpid(-1, w, options)) < 0 && errno == EINTR)
        ;
    return pid;
}

/* Waits for pids to end; report: say how the last one ended if a signal
 * ended it (a foreground pipeline, not the wait builtin's jobs). */
static int wait_pids(const pid_t *pids, int npids, bool report)
{
    int left = 0, wstatus = 0;
    for (int i = 0; i < npids; i++)
        left += pids[i] > 0;
    while (left > 0) {
        int w;
        pid_t pid = wait_any(&w, 0);
        if (pid < 0)
            break;
        bool mine = false;
        for (int i = 0; i < npids; i++) {
            if (pids[i] == pid && !WIFSTOPPED(w) && !WIFCONTINUED(w)) {
                mine = true;
                left--;
                if (i == npids - 1)
                    wstatus = w;
            }
        }
        if (!mine)
            note(pid, w);
    }
    if (report)
        report_signal(wstatus);
    return exec_status(wstatus);
}

int jobs_wait_pids(const pid_t *pids, int npids)
{
    return wait_pids(pids, npids, true);
}

static void print_job(const struct job *j, bool amp);

/*
 * Waits for job j in the foreground until it ends (its status, j freed)
 * or stops (128 + the signal, j kept as a stopped job).
 */
static int wait_foreground(struct job *j, bool fresh)
{
    j->foreground = true;
    while (j->left > 0 && !is_stopped(j)) {
        int w;
        pid_t pid = wait_any(&w, 0);
        if (pid < 0)
            break;
        note(pid, w);
    }
    if (fresh && is_stopped(j))
        j->id = highest_id() + 1; /* j itself is not counted yet */
    j->foreground = false;
    if (is_stopped(j)) {
        j->seq = ++seq;
        j->told = true;
        j->have_modes = tcgetattr(STDIN_FILENO, &j->modes) == 0;
        if (have_shell_modes)
            tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_modes);
        fputc('\n', stderr); /* the terminal echoed ^Z, not a newline */
        print_job(j, false);
        return SH_STATUS_SIGNAL + j->stop_sig;
    }
    int status = exec_status(j->wstatus);
    report_signal(j->wstatus);
    job_free(j);
    return status;
}

int jobs_wait_foreground(pid_t pgid, const pid_t *pids, int npids,
                         const char *text)
{
    struct job *j = sh.interactive ? add(pgid, pids, npids, text) : NULL;
    if (!j)
        return jobs_wait_pids(pids, npids);
    return wait_foreground(j, true);
}

/* Reaps whatever has changed, without blocking. */
static void reap(void)
{
    int w;
    pid_t pid;
    while ((pid = wait_any(&w, WNOHANG)) > 0)
        note(pid, w);
}

/* "Done", "Exit 2", "Killed", "Stopped": how a job is, or "Running". */
static const char *state(const struct job *j, char *buf, size_t cap)
{
    if (is_stopped(j))
        return strsignal(j->stop_sig);
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
    const struct job *top = current();
    fprintf(stderr, "[%d]%c  %-24s%s%s\n", j->id, j == top ? '+' : ' ',
            state(j, buf, sizeof buf), j->text, amp ? " &" : "");
}

void jobs_notify(void)
{
    reap();
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (j->id && j->left == 0) {
            print_job(j, false);
            job_free(j);
        } else if (j->id && is_stopped(j) && !j->told) {
            j->told = true;
            j->seq = ++seq;
            print_job(j, false);
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
        next->told |= is_stopped(next);
        print_job(next, next->left > 0 && !is_stopped(next));
        if (next->left == 0)
            job_free(next);
    }
}

/* The job a "%n", "%%", "%+" or "%" names (NULL if none), reporting it. */
static struct job *job_of(const char *spec, const char *who)
{
    struct job *j = NULL;
    if (strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 ||
        strcmp(spec, "%") == 0) {
        j = current();
    } else {
        const char *num = spec + (spec[0] == '%');
        char *end;
        long n = strtol(num, &end, 10);
        for (int i = 0; i < JOBS_MAX && *num && !*end; i++)
            if (jobs[i].id && jobs[i].id == n && !jobs[i].foreground)
                j = &jobs[i];
    }
    if (!j && who && strcmp(spec, "%%") == 0)
        sh_error("%s: no current job", who);
    else if (!j && who)
        sh_error("%s: %s: no such job", who, spec);
    return j;
}

/* SIGCONT to j's group; its processes count as running again. */
static void resume(struct job *j)
{
    for (int k = 0; k < j->npids; k++)
        j->stopped[k] = false;
    kill(-j->pgid, SIGCONT);
}

int jobs_fg(const char *spec)
{
    reap();
    struct job *j = job_of(spec ? spec : "%%", "fg");
    if (!j)
        return 1;
    fprintf(stderr, "%s\n", j->text);
    if (j->left == 0) {
        int status = exec_status(j->wstatus);
        job_free(j);
        return status;
    }
    exec_give_terminal(j->pgid);
    if (j->have_modes)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &j->modes);
    resume(j);
    int status = wait_foreground(j, false);
    exec_give_terminal(sh.pgid);
    return status;
}

int jobs_bg(const char *spec)
{
    reap();
    struct job *j = job_of(spec ? spec : "%%", "bg");
    if (!j)
        return 1;
    if (!is_stopped(j)) {
        sh_error("bg: job %d already in background", j->id);
        return 0;
    }
    j->seq = ++seq;
    fprintf(stderr, "[%d]+ %s &\n", j->id, j->text);
    resume(j);
    return 0;
}

void jobs_save_shell_modes(void)
{
    have_shell_modes = tcgetattr(STDIN_FILENO, &shell_modes) == 0;
}

void jobs_hangup(void)
{
    reap();
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].id && is_stopped(&jobs[i])) {
            kill(-jobs[i].pgid, SIGHUP);  /* as the kernel does to an */
            kill(-jobs[i].pgid, SIGCONT); /* orphaned, stopped group */
        }
    }
}

int jobs_pids(const char *spec, pid_t *out, int cap)
{
    struct job *j = job_of(spec, NULL);
    if (!j)
        return -1;
    int n = 0;
    for (int k = 0; k < j->npids && n < cap; k++)
        if (!j->ended[k])
            out[n++] = j->pids[k];
    return n;
}

void jobs_continue_stopped(const char *spec)
{
    struct job *j = job_of(spec, NULL);
    if (j && is_stopped(j))
        resume(j); /* a signal sent to it acts now, as bash's kill does */
}

/* Waits for the rest of job j; its status (the last process's). */
static int wait_for(struct job *j)
{
    pid_t *left = calloc((size_t)j->npids, sizeof *left);
    for (int k = 0; k < j->npids; k++)
        left[k] = j->ended[k] ? 0 : j->pids[k];
    int status = exec_status(j->wstatus);
    if (j->left > 0) {
        status = wait_pids(left, j->npids, false);
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
        struct job *j = argv[a][0] == '%' ? job_of(argv[a], NULL) : NULL;
        long pid = argv[a][0] == '%' ? 0 : strtol(argv[a], NULL, 10);
        for (int i = 0; i < JOBS_MAX && !j && pid > 0; i++)
            for (int k = 0; jobs[i].id && k < jobs[i].npids; k++)
                if (jobs[i].pids[k] == pid)
                    j = &jobs[i];
        status = j ? wait_for(j) : SH_STATUS_NOT_FOUND;
    }
    return status;
}
