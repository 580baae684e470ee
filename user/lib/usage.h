/*
 * --help and usage errors, the same way in every program of /bin.
 *
 * Every command prints its own usage text for --help on standard output
 * and exits 0; an unknown option prints getopt's one line and the usage
 * text on standard error and exits with the status Debian's tool uses for
 * it (1 for most of coreutils, 2 for diff, cmp and expr, 125 for env).
 *
 * See: docs/userland.md
 */
#pragma once

/*
 * When an argument is "--help" (and none before it is "--"), prints usage
 * to standard output and exits 0; otherwise returns. GNU's getopt finds
 * options after operands too, so `sort f --help` is help; programs that
 * stop at their first operand (env, xargs, find, time) pass argc 2 so that
 * only their first argument counts.
 */
void usage_help(int argc, char **argv, const char *usage);

/* Prints usage to standard error and exits with status. */
__attribute__((noreturn)) void usage_fail(const char *usage, int status);

/*
 * The old form "-N" of head and tail (head -100): when argv[1] is a dash
 * and digits, it becomes "-nN", so getopt reads it as -n N.
 */
void usage_number_option(int argc, char **argv);
