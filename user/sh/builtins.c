/*
 * Builtins: the commands the shell runs itself.
 *
 * Some must: cd, export, readonly, unset and local change the shell's own
 * state, which a child could not reach; jobs, fg, wait and kill %n read
 * its job table. The others (pwd, help, clear, history, true, false, :)
 * are here because they are small and a shell is expected to have them;
 * echo is here because scripts call it in every loop, and a fork per line
 * is slow, so it prints plain words itself and hands anything with a
 * backslash or an option other than -n to /bin/echo. The builtins that
 * steer the shell (eval, ., return, break, exit, set, shift, trap) are in
 * flow.c, read in read.c, test and [ in test.c. Each takes argc and argv
 * like a program's main and returns its status; the table marks POSIX's
 * special builtins, whose assignments stay after them.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

#define CLEAR_SCREEN "\x1b[H\x1b[2J" /* cursor home, erase the screen */

static int b_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    if (!dir || !*dir)
        dir = "/";
    if (strcmp(dir, "-") == 0) {
        dir = var_get("OLDPWD");
        if (!dir) {
            sh_error("cd: OLDPWD not set");
            return 1;
        }
        printf("%s\n", dir);
    }
    char old[PATH_MAX];
    if (!getcwd(old, sizeof old))
        old[0] = '\0';
    if (chdir(dir) != 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    char now[PATH_MAX];
    var_set("OLDPWD", old, false);
    if (getcwd(now, sizeof now))
        var_set("PWD", now, false);
    return 0;
}

static int b_pwd(int argc, char **argv)
{
    (void)argc, (void)argv;
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    printf("%s\n", buf);
    return 0;
}

static int b_export(int argc, char **argv)
{
    bool ro = argv[0][0] == 'r';
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
        vars_print(ro ? 'r' : 'x');
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!var_is_name(argv[i], len)) {
            sh_error("%s: %s: bad variable name", argv[0], argv[i]);
            status = 1;
            continue;
        }
        char *name = strndup(argv[i], len);
        if (!var_set(name, eq ? eq + 1 : NULL, !ro))
            status = 1;
        else if (ro)
            var_readonly(name);
        free(name);
    }
    return status;
}

static int b_unset(int argc, char **argv)
{
    bool funcs = false;
    int i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-'; i++)
        funcs = strcmp(argv[i], "-f") == 0;
    for (; i < argc; i++) {
        if (funcs)
            func_define(argv[i], NULL);
        else if (!var_unset(argv[i]))
            status = 1;
    }
    return status;
}

/* echo: plain words and -n here; escapes and -e are /bin/echo's. */
static int b_echo(int argc, char **argv)
{
    bool newline = true;
    int i = 1;
    if (i < argc && strcmp(argv[i], "-n") == 0) {
        newline = false;
        i++;
    }
    for (int k = i; k < argc; k++)
        if (strchr(argv[k], '\\') || (k == i && argv[k][0] == '-'))
            return exec_external(argv);
    for (int k = i; k < argc; k++) {
        if (k > i)
            putchar(' ');
        fputs(argv[k], stdout);
    }
    if (newline)
        putchar('\n');
    return ferror(stdout) ? 1 : 0;
}

/* kill: %n becomes the job's processes, then /bin/kill does the rest. */
static int b_kill(int argc, char **argv)
{
    char **args = calloc(1, sizeof *args);
    int n = 0, status = 0;
    args[0] = NULL;
    for (int i = 0; i < argc; i++) {
        pid_t pids[16];
        int count = argv[i][0] == '%' ? jobs_pids(argv[i], pids, 16) : -2;
        if (count == -1) {
            sh_error("kill: %s: no such job", argv[i]);
            status = 1;
            continue;
        }
        args = realloc(args, sizeof *args *
                                 (size_t)(n + (count > 0 ? count : 1) + 1));
        if (count == -2) {
            args[n++] = strdup(argv[i]);
            continue;
        }
        for (int k = 0; k < count && k < 16; k++) {
            char num[24];
            snprintf(num, sizeof num, "%d", (int)pids[k]);
            args[n++] = strdup(num);
        }
    }
    args[n] = NULL;
    if (n > 1 || status == 0)
        status |= exec_external(args);
    argv_free(args);
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '%')
            jobs_continue_stopped(argv[i]);
    return status;
}

static int b_wait(int argc, char **argv)
{
    return jobs_wait(argc, argv);
}

static int b_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("Ember sh: type a command and its arguments, e.g. ls -l /bin\n"
           "  a | b       pipe a's output into b\n"
           "  a; b        a then b;  a && b  b if a succeeds;  a || b  b if "
           "it fails\n"
           "  a &         run a in the background (jobs, fg, bg; ctrl-z "
           "stops a)\n"
           "  < f  > f  >> f  2> f  2>&1   redirections\n"
           "  X=1 $X ${X} $? $$ 'quoted' \"quoted $X\"   variables, "
           "quotes\n"
           "  $((1 + 2)) arithmetic;  $(command) its output\n"
           "  if/then/else/fi, while/do/done, for X in ...; do ...; done\n"
           "  keys: arrows, home/end, tab completes, up/down history, "
           "ctrl-c ends a program\n"
           "Builtins:");
    for (int i = 0; builtin_name(i); i++)
        printf(" %s", builtin_name(i));
    printf("\nPrograms: ls /bin\n");
    return 0;
}

static int b_clear(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs(CLEAR_SCREEN, stdout);
    return 0;
}

static int b_history(int argc, char **argv)
{
    (void)argc, (void)argv;
    return history_print();
}

static int b_jobs(int argc, char **argv)
{
    (void)argc, (void)argv;
    return jobs_list();
}

static int b_fg(int argc, char **argv)
{
    return jobs_fg(argc > 1 ? argv[1] : NULL);
}

static int b_bg(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= jobs_bg(argv[i]);
    return argc > 1 ? status : jobs_bg(NULL);
}

static int b_true(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}

static int b_false(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 1;
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    bool special; /* POSIX's special builtins: their assignments stay */
} builtins[] = {
    {":", b_true, true},
    {".", flow_source, true},
    {"[", test_run, false},
    {"bg", b_bg, false},
    {"break", flow_break, true},
    {"cd", b_cd, false},
    {"clear", b_clear, false},
    {"command", flow_command, false},
    {"continue", flow_break, true},
    {"echo", b_echo, false},
    {"eval", flow_eval, true},
    {"exit", flow_exit, true},
    {"export", b_export, true},
    {"false", b_false, false},
    {"fg", b_fg, false},
    {"getopts", flow_getopts, false},
    {"help", b_help, false},
    {"history", b_history, false},
    {"jobs", b_jobs, false},
    {"kill", b_kill, false},
    {"local", flow_local, true},
    {"pwd", b_pwd, false},
    {"read", read_run, false},
    {"readonly", b_export, true},
    {"return", flow_return, true},
    {"set", flow_set, true},
    {"shift", flow_shift, true},
    {"source", flow_source, true},
    {"test", test_run, false},
    {"trap", flow_trap, true},
    {"true", b_true, false},
    {"unset", b_unset, true},
    {"wait", b_wait, false},
};

#define BUILTINS_COUNT (sizeof builtins / sizeof builtins[0])

const char *builtin_name(int i)
{
    return i >= 0 && (size_t)i < BUILTINS_COUNT ? builtins[i].name : NULL;
}

bool builtin_special(const char *name)
{
    for (size_t i = 0; i < BUILTINS_COUNT; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].special;
    return false;
}

bool builtin_is(const char *name)
{
    for (size_t i = 0; i < BUILTINS_COUNT; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return true;
    return false;
}

int builtin_run(int argc, char **argv)
{
    for (size_t i = 0; i < BUILTINS_COUNT; i++)
        if (strcmp(builtins[i].name, argv[0]) == 0)
            return builtins[i].fn(argc, argv);
    return SH_STATUS_NOT_FOUND;
}
