/*
 * Builtins: the commands the shell runs itself.
 *
 * Some must: cd, exit, export, unset and source change the shell's own
 * state, which a child could not reach. jobs and fg read the shell's job
 * table. The others (pwd, help, clear, history, true, false) are here
 * because they are small and a shell is expected to have them; test and
 * [ live in test.c. Each takes
 * argc and argv like a program's main and returns its status.
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

static int b_exit(int argc, char **argv)
{
    sh.exiting = true;
    sh.exit_status = argc > 1 ? atoi(argv[1]) & 0xff : sh.last_status;
    return sh.exit_status;
}

static int b_export(int argc, char **argv)
{
    if (argc == 1) {
        vars_print_exported();
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!var_is_name(argv[i], len)) {
            sh_error("export: '%s': not a valid name", argv[i]);
            status = 1;
            continue;
        }
        char *name = strndup(argv[i], len);
        var_set(name, eq ? eq + 1 : NULL, true);
        free(name);
    }
    return status;
}

static int b_unset(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        var_unset(argv[i]);
    return 0;
}

static int b_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("Ember sh: type a command and its arguments, e.g. ls -l /bin\n"
           "  a | b       pipe a's output into b\n"
           "  a; b        a then b;  a && b  b if a succeeds;  a || b  b if "
           "it fails\n"
           "  a &         run a in the background (jobs, fg)\n"
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
    const char *arg = argc > 1 ? argv[1] : "0";
    if (*arg == '%')
        arg++;
    return jobs_fg(atoi(arg));
}

static int b_source(int argc, char **argv)
{
    if (argc < 2) {
        sh_error("%s: usage: %s file", argv[0], argv[0]);
        return SH_STATUS_SYNTAX;
    }
    char *text = io_slurp(argv[1], NULL);
    if (!text) {
        sh_error("%s: %s: %s", argv[0], argv[1], strerror(errno));
        return 1;
    }
    /* ". file a b" gives the file $1 = a, $2 = b while it runs. */
    int old_argc = vars_arg_count() + 1;
    char **old_argv = vars_args();
    if (argc > 2)
        vars_set_args(argc - 1, argv + 1);
    int status = exec_text(text);
    vars_set_args(old_argc, old_argv);
    free(text);
    return status;
}

/* shift [n]: $n+1 becomes $1. The arguments are not copied: the new list
 * is the old one's tail, with $0 put in front of it. */
static int b_shift(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1, count = vars_arg_count();
    if (n < 0 || n > count) {
        sh_error("shift: %s: shift count out of range", argv[1]);
        return 1;
    }
    char **args = vars_args();
    args[n] = args[0]; /* $0 moves up in front of what is kept */
    vars_set_args(count - n + 1, args + n);
    return 0;
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
} builtins[] = {
    {"cd", b_cd},         {"pwd", b_pwd},         {"exit", b_exit},
    {"export", b_export}, {"unset", b_unset},     {"help", b_help},
    {"clear", b_clear},   {"history", b_history}, {"jobs", b_jobs},
    {"fg", b_fg},         {"source", b_source},   {".", b_source},
    {"true", b_true},     {"false", b_false},     {"test", test_run},
    {"[", test_run},      {"shift", b_shift},
};

#define BUILTINS_COUNT (sizeof builtins / sizeof builtins[0])

const char *builtin_name(int i)
{
    return i >= 0 && (size_t)i < BUILTINS_COUNT ? builtins[i].name : NULL;
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
