/*
 * Command substitution: $(commands) becomes what the commands print.
 *
 * The text between the parentheses runs in a forked copy of the shell
 * (exec_text()), its standard output a pipe the shell reads to the end;
 * then the child is waited for and its status becomes $?. Trailing
 * newlines are dropped, as POSIX says, and the caller splits the rest
 * into fields like any other unquoted expansion. The child is never
 * interactive: it takes no terminal and runs no job control.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"

char *subst_run(const char *text)
{
    int fds[2];
    if (pipe(fds) < 0) {
        sh_error("$(...): %s", strerror(errno));
        sh.expand_failed = true;
        return NULL;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sh_error("$(...): %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        sh.expand_failed = true;
        return NULL;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        trap_reset_child(); /* a subshell's traps start unset */
        sh.interactive = false;
        int status = exec_text(text);
        exec_exit(sh.exiting ? sh.exit_status : status);
    }
    close(fds[1]);
    size_t len;
    char *out = io_read_all(fds[0], &len);
    close(fds[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    sh.last_status = exec_status(ws);
    sh.substs++;
    if (!out)
        return NULL;
    while (len > 0 && out[len - 1] == '\n')
        out[--len] = '\0';
    return out;
}
