/*
 * Redirections: the files and descriptors a command's words ask for.
 *
 * Each redirection opens its file (or copies a descriptor, or closes one)
 * and moves the result onto the descriptor it names, in the order typed,
 * so `> f 2>&1` sends both to f and `2>&1 > f` only 1. A command that runs
 * in the shell itself (a builtin, a function, a compound command) would
 * keep them, so redir_apply() can first save the old descriptors 0-9 as
 * copies at 10 and up, which redir_restore() puts back afterwards.
 *
 * A here-document is a pipe whose read end becomes the descriptor: the
 * shell writes the body (expanded, unless the delimiter was quoted) into
 * it. A pipe holds at least 512 bytes, so a longer body is written by a
 * child while the command reads, and a full pipe cannot block the shell.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAVE_BASE      10   /* where the copies of saved descriptors go */
#define NEW_MODE       0666 /* FAT32 ignores it; as umask 0 would give */
#define HEREDOC_INPIPE 512  /* bodies up to this size are written at once */

/* A descriptor that reads the here-document's text. */
static int heredoc_fd(struct redir *r)
{
    char *body = r->quoted ? strdup(r->word) : expand_heredoc(r->word);
    int fds[2];
    if (pipe(fds) < 0) {
        sh_error("here-document: %s", strerror(errno));
        free(body);
        return -1;
    }
    size_t len = strlen(body);
    if (len <= HEREDOC_INPIPE) {
        if (write(fds[1], body, len) < 0)
            sh_error("here-document: %s", strerror(errno));
    } else {
        /* more than a pipe surely holds: a child writes it */
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            for (size_t done = 0; done < len;) {
                ssize_t w = write(fds[1], body + done, len - done);
                if (w <= 0)
                    _exit(1);
                done += (size_t)w;
            }
            _exit(0);
        }
    }
    close(fds[1]);
    free(body);
    return fds[0];
}

/* The descriptor a redirection opens, -2 for "close", -1 on error. */
static int redir_open(struct redir *r)
{
    if (r->kind == REDIR_HEREDOC)
        return heredoc_fd(r);
    char *name = expand_one(r->word);
    int fd = -1;
    if (r->kind == REDIR_DUP) {
        char *end;
        long n = strtol(name, &end, 10);
        if (strcmp(name, "-") == 0) {
            fd = -2;
        } else if (!*name || *end || n < 0 || fcntl((int)n, F_GETFD) < 0) {
            sh_error("%s: bad file descriptor", name);
        } else {
            fd = fcntl((int)n, F_DUPFD_CLOEXEC, 0);
        }
        free(name);
        return fd;
    }
    int flags = r->kind == REDIR_IN       ? O_RDONLY
                : r->kind == REDIR_RW     ? O_RDWR | O_CREAT
                : r->kind == REDIR_APPEND ? O_WRONLY | O_CREAT | O_APPEND
                                          : O_WRONLY | O_CREAT | O_TRUNC;
    fd = open(name, flags, NEW_MODE);
    if (fd < 0)
        sh_error("%s: %s", name, strerror(errno));
    free(name);
    return fd;
}

int redir_apply(struct redir *r, int *saved)
{
    for (; r; r = r->next) {
        if (saved && r->fd < REDIR_SAVED_FDS && saved[r->fd] == -2)
            saved[r->fd] = fcntl(r->fd, F_DUPFD_CLOEXEC, SAVE_BASE);
        int fd = redir_open(r);
        if (fd == -1)
            return -1;
        if (fd == -2) {
            close(r->fd);
        } else if (fd != r->fd) {
            dup2(fd, r->fd);
            close(fd);
        } else {
            fcntl(fd, F_SETFD, 0);
        }
    }
    return 0;
}

void redir_restore(int *saved)
{
    fflush(NULL);
    for (int fd = 0; fd < REDIR_SAVED_FDS; fd++) {
        if (saved[fd] == -2)
            continue;
        if (saved[fd] >= 0) {
            dup2(saved[fd], fd);
            close(saved[fd]);
        } else {
            close(fd);
        }
    }
}

void redir_none_saved(int *saved)
{
    for (int i = 0; i < REDIR_SAVED_FDS; i++)
        saved[i] = -2;
}
