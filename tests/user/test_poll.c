/*
 * Differential test: poll, ppoll, select and pselect on pipes, regular
 * files and /dev/null, with and without time-outs.
 *
 * Covers what each end of a pipe reports (data, room, the other end gone),
 * descriptors that are negative or not open (POLLNVAL for poll, EBADF for
 * select), time-outs that run out (measured on the monotonic clock, so only
 * "at least" is checked), a wait that another process ends by writing, the
 * three fd_sets of select and what they keep, the time-out select writes
 * back, ppoll's and pselect's signal masks, and the argument errors
 * (EINVAL, EFAULT). Signals interrupting a wait are in test_signals.c.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md, docs/signals.md
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "ucheck.h"

#define WAIT_MS   100
#define WRITER_MS 50
#define BAD_FD    50
#define HUGE_NFDS 100000
#define NS_PER_MS 1000000L
#define MS_PER_S  1000L

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * MS_PER_S + ts.tv_nsec / NS_PER_MS;
}

/* Polls one descriptor for events with timeout_ms; prints "n revents". */
static void poll_one(const char *name, int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events, .revents = 0x7777};
    int r = poll(&p, 1, timeout_ms);
    if (r < 0)
        uc_ret(name, r);
    else
        uc_val(name, "%d %#x", r, p.revents);
}

static void pipes(void)
{
    int p[2];
    pipe(p);
    poll_one("empty pipe, read end", p[0], POLLIN, 0);
    poll_one("empty pipe, write end", p[1], POLLOUT, 0);
    poll_one("empty pipe, both asked", p[1], POLLIN | POLLOUT, 0);
    write(p[1], "abc", 3);
    poll_one("pipe with data", p[0], POLLIN | POLLRDNORM, 0);
    poll_one("pipe with data, no events", p[0], 0, 0);
    close(p[1]);
    poll_one("data and writer gone", p[0], POLLIN, 0);
    char b[8];
    read(p[0], b, sizeof b);
    poll_one("writer gone, drained", p[0], POLLIN, 0);
    poll_one("writer gone, no events", p[0], 0, 0);
    close(p[0]);

    pipe(p);
    close(p[0]);
    poll_one("reader gone", p[1], POLLOUT, 0);
    close(p[1]);
}

static void descriptors(void)
{
    struct pollfd p[3] = {{.fd = -1, .events = POLLIN, .revents = 1},
                          {.fd = BAD_FD, .events = POLLIN},
                          {.fd = 1, .events = 0}};
    uc_ret("negative and bad fds", poll(p, 3, WAIT_MS));
    uc_val("their revents", "%#x %#x %#x", p[0].revents, p[1].revents,
           p[2].revents);
    int fd = open("pollfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
    poll_one("regular file", fd, POLLIN | POLLOUT, 0);
    close(fd);
    unlink("pollfile");
    fd = open("/dev/null", O_RDWR);
    poll_one("/dev/null", fd, POLLIN | POLLOUT, -1);
    close(fd);
    uc_ret("no fds, no time", poll(NULL, 0, 0));
    uc_ret("bad pointer", poll((struct pollfd *)8, 1, 0));
    uc_ret("too many fds", poll(p, HUGE_NFDS, 0));
}

static void timeouts(void)
{
    int p[2];
    pipe(p);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    long t0 = now_ms();
    uc_ret("poll times out", poll(&pf, 1, WAIT_MS));
    uc_val("after at least its time", "%d", now_ms() - t0 >= WAIT_MS);
    t0 = now_ms();
    uc_ret("poll with nothing times out", poll(NULL, 0, WAIT_MS));
    uc_val("also after its time", "%d", now_ms() - t0 >= WAIT_MS);

    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        usleep(WRITER_MS * 1000);
        write(p[1], "x", 1);
        _exit(0);
    }
    uc_ret("woken by a writer", poll(&pf, 1, -1));
    uc_val("revents", "%#x", pf.revents);
    int st;
    waitpid(pid, &st, 0);
    close(p[0]);
    close(p[1]);
}

static void selects(void)
{
    int p[2];
    pipe(p);
    fd_set in, out, ex;
    FD_ZERO(&in);
    FD_ZERO(&out);
    FD_ZERO(&ex);
    FD_SET(p[0], &in);
    FD_SET(p[1], &in);
    FD_SET(p[0], &out);
    FD_SET(p[1], &out);
    FD_SET(p[0], &ex);
    struct timeval tv = {0, 0};
    uc_ret("select empty pipe", select(p[1] + 1, &in, &out, &ex, &tv));
    uc_val("sets kept", "%d %d %d %d %d", FD_ISSET(p[0], &in),
           FD_ISSET(p[1], &in), FD_ISSET(p[0], &out), FD_ISSET(p[1], &out),
           FD_ISSET(p[0], &ex));
    write(p[1], "y", 1);
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    uc_ret("select readable", select(p[0] + 1, &in, NULL, NULL, NULL));
    uc_val("read set", "%d", FD_ISSET(p[0], &in));
    char c;
    read(p[0], &c, 1);

    FD_ZERO(&in);
    FD_SET(p[0], &in);
    tv = (struct timeval){0, WAIT_MS * 1000};
    long t0 = now_ms();
    uc_ret("select times out", select(p[0] + 1, &in, NULL, NULL, &tv));
    uc_val("after its time, time left written", "%d %ld %ld",
           now_ms() - t0 >= WAIT_MS, (long)tv.tv_sec, (long)tv.tv_usec);
    uc_val("read set emptied", "%d", FD_ISSET(p[0], &in));

    FD_ZERO(&in);
    FD_SET(BAD_FD, &in);
    tv = (struct timeval){0, 0};
    uc_ret("select bad fd", select(BAD_FD + 1, &in, NULL, NULL, &tv));
    uc_ret("select negative nfds", select(-1, NULL, NULL, NULL, &tv));
    tv = (struct timeval){-1, 0};
    uc_ret("select negative time", select(0, NULL, NULL, NULL, &tv));
    uc_ret("select bad set", select(1, (fd_set *)8, NULL, NULL, NULL));
    close(p[1]);
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    uc_ret("select hung-up pipe", select(p[0] + 1, &in, NULL, NULL, NULL));
    close(p[0]);
}

static void masks(void)
{
    int p[2];
    pipe(p);
    sigset_t block, old, during;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    struct timespec ts = {0, WAIT_MS * NS_PER_MS};
    uc_ret("ppoll times out", ppoll(&pf, 1, &ts, &block));
    sigprocmask(SIG_SETMASK, NULL, &old);
    uc_val("mask back after ppoll", "%d", sigismember(&old, SIGUSR1));
    ts = (struct timespec){0, 2000000000L};
    uc_ret("ppoll bad time", ppoll(&pf, 1, &ts, NULL));
    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    ts = (struct timespec){0, 0};
    uc_ret("pselect with mask",
           pselect(p[0] + 1, &in, NULL, NULL, &ts, &block));
    sigprocmask(SIG_SETMASK, NULL, &during);
    uc_val("mask back after pselect", "%d", sigismember(&during, SIGUSR1));
    close(p[0]);
    close(p[1]);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    pipes();
    descriptors();
    timeouts();
    selects();
    masks();
    return uc_close();
}
