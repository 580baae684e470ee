/*
 * Self-checking Ember-only test programs: one line per check, and the seed's
 * door called by hand.
 *
 * The seed_*.c and hostile_*.c programs run only on Ember (the `int 0x80`
 * door means something else on Linux), so there is no reference to compare
 * with: each program checks its own results. Every check prints one line on
 * stdout, the console, which the system test reads from the serial port:
 *
 *   check: PASS <name>
 *   check: FAIL <name>: <what was wrong>
 *
 * and sc_done() prints "check: N passed, N failed" and returns main's exit
 * status, 0 only if every check passed. stdout is made unbuffered so a line
 * is one write(2), written before a fork or a crash can lose it.
 * seed_call() issues `int 0x80` with up to three arguments and returns rax
 * unchanged (a negative errno on failure), for the calls user/include/ember.h
 * does not wrap and for hostile arguments. sc_figure() reads one of the
 * kernel's counters (/proc/ember, /proc/meminfo) and sc_drop_caches() empties
 * the page cache of what it can let go.
 *
 * Portable: Ember only (x86_64, musl).
 * See: tests/user/README.md, docs/syscalls.md
 */
#pragma once

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SC_FIGURES_TEXT 8192

static int sc_passed, sc_failed;

/* Call first thing in main: unbuffered stdout, one write per line. */
static inline void sc_begin(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
}

/* Records one check; fmt says what was wrong when ok is false. */
static inline void __attribute__((format(printf, 3, 4)))
sc_check(const char *name, bool ok, const char *fmt, ...)
{
    char line[512];
    int n;
    if (ok) {
        sc_passed++;
        n = snprintf(line, sizeof line, "check: PASS %s\n", name);
    } else {
        va_list ap;
        sc_failed++;
        n = snprintf(line, sizeof line, "check: FAIL %s: ", name);
        va_start(ap, fmt);
        n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
        if ((size_t)n > sizeof line - 2)
            n = (int)sizeof line - 2;
        line[n++] = '\n';
        line[n] = '\0';
    }
    fputs(line, stdout);
}

/* A call that must return exactly want (a value or a negative errno). */
static inline void sc_ret(const char *name, long got, long want)
{
    sc_check(name, got == want, "returned %ld, expected %ld", got, want);
}

/* Prints the totals; main's exit status: 0 only if nothing failed. */
static inline int sc_done(void)
{
    printf("check: %d passed, %d failed\n", sc_passed, sc_failed);
    return sc_failed ? 1 : 0;
}

/* The seed's door: number in rax, arguments in rdi, rsi, rdx. */
static inline long seed_call(long nr, long a, long b, long c)
{
    long ret = nr;
    __asm__ volatile("int $0x80"
                     : "+a"(ret), "+D"(a), "+S"(b), "+d"(c)
                     :
                     : "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
    return ret;
}

/* The value of `name` in a "name value" or "Name: value kB" file; -1. */
static inline long long sc_figure(const char *path, const char *name)
{
    static char text[SC_FIGURES_TEXT];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    size_t len = strlen(name);
    for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
        if (strncmp(p, name, len) == 0 && (p[len] == ' ' || p[len] == ':'))
            return atoll(p + len + 1 + strspn(p + len + 1, " :"));
    }
    return -1;
}

/* Writes 3 to /proc/sys/vm/drop_caches, as on Linux: 0, or -1. */
static inline int sc_drop_caches(void)
{
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, "3\n", 2);
    close(fd);
    return n == 2 ? 0 : -1;
}
