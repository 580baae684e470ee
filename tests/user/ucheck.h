/*
 * The result file of a differential user test: one line per checked case.
 *
 * A test program runs on Linux and on Ember and the two result files are
 * compared line by line, so a line must say only what is the same on any
 * system that behaves like Linux: return values, errno names, sizes,
 * contents, sorted names. A line starting with "~ " holds something that may
 * legitimately differ (a pid, a path, a clock's resolution); the comparison
 * skips it, and docs/syscalls.md lists what goes there. Results go to the
 * file named by argv[1], through stdio, so both sides buffer alike and no
 * kernel log line can mix in. Always call uc_flush() before fork(), so a
 * child does not inherit unwritten lines, and end children with _exit().
 *
 * Portable: user programs only (musl or glibc).
 * See: tests/user/README.md, docs/syscalls.md
 */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *uc_out;
static int uc_cases;
static const char *uc_self; /* argv[0]: the tests re-execute themselves */

/* Opens the result file named by argv[1]; exits 2 without one. */
static inline void uc_open(int argc, char **argv)
{
    if (argc < 2 || !(uc_out = fopen(argv[1], "w"))) {
        fprintf(stderr, "usage: %s RESULT-FILE\n", argv[0]);
        exit(2);
    }
    uc_self = argv[0];
}

static inline void uc_flush(void)
{
    fflush(uc_out);
}

/* Closes the file and returns main's exit status. */
static inline int uc_close(void)
{
    fprintf(uc_out, "# %d cases\n", uc_cases);
    return fclose(uc_out) == 0 ? 0 : 1;
}

/* The symbolic name of an errno value, the same on both systems. */
static inline const char *uc_errname(int e)
{
    static const char *const names[] = {
        [EPERM] = "EPERM",     [ENOENT] = "ENOENT",
        [ESRCH] = "ESRCH",     [EINTR] = "EINTR",
        [EIO] = "EIO",         [ENXIO] = "ENXIO",
        [E2BIG] = "E2BIG",     [ENOEXEC] = "ENOEXEC",
        [EBADF] = "EBADF",     [ECHILD] = "ECHILD",
        [EAGAIN] = "EAGAIN",   [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES",   [EFAULT] = "EFAULT",
        [EBUSY] = "EBUSY",     [EEXIST] = "EEXIST",
        [EXDEV] = "EXDEV",     [ENODEV] = "ENODEV",
        [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
        [EINVAL] = "EINVAL",   [ENFILE] = "ENFILE",
        [EMFILE] = "EMFILE",   [ENOTTY] = "ENOTTY",
        [EFBIG] = "EFBIG",     [ENOSPC] = "ENOSPC",
        [ESPIPE] = "ESPIPE",   [EROFS] = "EROFS",
        [EMLINK] = "EMLINK",   [EPIPE] = "EPIPE",
        [ERANGE] = "ERANGE",   [ENAMETOOLONG] = "ENAMETOOLONG",
        [ENOSYS] = "ENOSYS",   [ENOTEMPTY] = "ENOTEMPTY",
        [ELOOP] = "ELOOP",     [EOVERFLOW] = "EOVERFLOW",
    };
    if (e > 0 && (size_t)e < sizeof names / sizeof names[0] && names[e])
        return names[e];
    return "E?";
}

/* A call's result: "name: value", or "name: -1 ENAME" when it failed. */
static inline void uc_ret(const char *name, long r)
{
    int e = errno;
    uc_cases++;
    if (r < 0)
        fprintf(uc_out, "%s: -1 %s\n", name, uc_errname(e));
    else
        fprintf(uc_out, "%s: %ld\n", name, r);
}

/* A case whose value the test computed itself (a size, a flag, a sum). */
static inline void __attribute__((format(printf, 2, 3)))
uc_val(const char *name, const char *fmt, ...)
{
    va_list ap;
    uc_cases++;
    fprintf(uc_out, "%s: ", name);
    va_start(ap, fmt);
    vfprintf(uc_out, fmt, ap);
    va_end(ap);
    fputc('\n', uc_out);
}

/* A line the comparison skips: allowed to differ between systems. */
static inline void __attribute__((format(printf, 1, 2)))
uc_note(const char *fmt, ...)
{
    va_list ap;
    fputs("~ ", uc_out);
    va_start(ap, fmt);
    vfprintf(uc_out, fmt, ap);
    va_end(ap);
    fputc('\n', uc_out);
}

/* A simple checksum of a buffer (FNV-1a), to print instead of the bytes. */
static inline unsigned long uc_sum(const void *p, size_t n)
{
    const unsigned char *b = p;
    unsigned long h = 2166136261ul;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619ul;
    return h & 0xffffffffu;
}

/* How a child ended, as "exit N" or "signal N" (the core bit left out). */
static inline void uc_status(const char *name, int st)
{
    uc_cases++;
    if (WIFEXITED(st))
        fprintf(uc_out, "%s: exit %d\n", name, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        fprintf(uc_out, "%s: signal %d\n", name, WTERMSIG(st));
    else
        fprintf(uc_out, "%s: status %#x\n", name, st);
}

/* Runs fn in a child that then exits 0, and reports how the child ended. */
static inline void uc_child(const char *name, void (*fn)(void))
{
    int st = 0;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid) {
        uc_ret(name, -1);
        return;
    }
    uc_status(name, st);
}
