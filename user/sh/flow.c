/*
 * The builtins that steer the shell itself: eval, ., return, break,
 * continue, exit, set, shift and local; and getopts and command, which
 * read the shell's state (trap is in trap.c).
 *
 * None of them can be a program: each changes what the shell runs next
 * or the state it runs it in. return, break, continue and exit do not
 * jump; they set a flag (sh.returning, sh.breaking...) that every list
 * and loop in exec.c checks on its way out, so each construct leaves
 * the way it would after its last command.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "io.h"

/*
 * A special builtin's error: POSIX ends a script there (status 2), as
 * dash does; on a terminal only the command fails.
 */
static int special_error(void)
{
    if (!sh.interactive) {
        sh.exiting = true;
        sh.exit_status = SH_STATUS_SYNTAX;
    }
    return SH_STATUS_SYNTAX;
}

/* A whole number argument, or -1 (with a message) when it is not one. */
static int count_arg(const char *who, const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < 0) {
        sh_error("%s: %s: numeric argument required", who, s);
        special_error();
        return -1;
    }
    return (int)n;
}

static char *join(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *text = calloc(1, len);
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(text, " ");
        strcat(text, argv[i]);
    }
    return text;
}

int flow_eval(int argc, char **argv)
{
    char *text = join(argc - 1, argv + 1);
    sh.last_status = 0;
    int status = exec_text(text);
    free(text);
    return status;
}

int flow_source(int argc, char **argv)
{
    if (argc < 2) {
        sh_error("%s: usage: %s file", argv[0], argv[0]);
        return SH_STATUS_SYNTAX;
    }
    char *text = io_slurp(argv[1], NULL);
    if (!text) {
        sh_error("%s: %s: %s", argv[0], argv[1], strerror(errno));
        if (!sh.interactive) {
            sh.exiting = true;
            sh.exit_status = SH_STATUS_SYNTAX;
        }
        return 1;
    }
    /* ". file a b" gives the file $1 = a, $2 = b while it runs. */
    int old_argc = vars_arg_count() + 1;
    char **old_argv = vars_args();
    char **args = NULL;
    if (argc > 2) {
        args = calloc((size_t)argc, sizeof *args);
        args[0] = old_argv[0];
        for (int i = 2; i < argc; i++)
            args[i - 1] = argv[i];
        vars_set_args(argc - 1, args);
    }
    sh.funcs++; /* return leaves the file */
    sh.last_status = 0;
    int status = exec_text(text);
    sh.funcs--;
    if (sh.returning) {
        sh.returning = false;
        status = sh.last_status;
    }
    if (args) {
        vars_set_args(old_argc, old_argv);
        free(args);
    }
    free(text);
    return status;
}

int flow_return(int argc, char **argv)
{
    int n = argc > 1 ? count_arg("return", argv[1]) : sh.last_status;
    if (n < 0)
        n = SH_STATUS_SYNTAX;
    if (sh.funcs == 0 && !sh.interactive) { /* a script's end, as in dash */
        sh.exiting = true;
        return sh.exit_status = n & 0xff;
    }
    if (sh.funcs == 0) {
        sh_error("return: not in a function");
        return 1;
    }
    sh.returning = true;
    return sh.last_status = n & 0xff;
}

/* break and continue */
int flow_break(int argc, char **argv)
{
    int n = argc > 1 ? count_arg(argv[0], argv[1]) : 1;
    if (n == 0) {
        sh_error("%s: %s: loop count out of range", argv[0], argv[1]);
        return special_error();
    }
    if (n < 0)
        return SH_STATUS_SYNTAX;
    if (sh.loops == 0)
        return 0; /* outside a loop: nothing to leave, as dash */
    if (n > sh.loops)
        n = sh.loops;
    if (argv[0][0] == 'b')
        sh.breaking = n;
    else
        sh.continuing = n;
    return 0;
}

int flow_exit(int argc, char **argv)
{
    int n = argc > 1 ? count_arg("exit", argv[1]) : sh.last_status;
    sh.exiting = true;
    sh.exit_status = n < 0 ? SH_STATUS_SYNTAX : n & 0xff;
    return sh.exit_status;
}

int flow_set(int argc, char **argv)
{
    if (argc == 1) {
        vars_print('a');
        return 0;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        if (strcmp(a + 1, "o") == 0) {
            sh_error("set: -o is not supported; use the letters");
            return special_error();
        }
        for (const char *o = a + 1; *o; o++) {
            if (!sh_set_option(*o, a[0] == '-')) {
                sh_error("set: -%c: invalid option", *o);
                return special_error();
            }
        }
    }
    if (i < argc || strcmp(argv[i - 1], "--") == 0) {
        /* new positional parameters, copied: the words die after this */
        int n = argc - i;
        char **args = calloc((size_t)n + 2, sizeof *args);
        args[0] = strdup(vars_arg(0) ? vars_arg(0) : SH_NAME);
        for (int k = 0; k < n; k++)
            args[k + 1] = strdup(argv[i + k]);
        vars_set_args(n + 1, args);
    }
    return 0;
}

/* shift [n]: $n+1 becomes $1. The list is not copied: the new one is the
 * old one's tail, with $0 put in front of it. */
int flow_shift(int argc, char **argv)
{
    int n = argc > 1 ? count_arg("shift", argv[1]) : 1;
    int count = vars_arg_count();
    if (n < 0 || n > count) {
        if (n >= 0)
            sh_error("shift: can't shift that many");
        return special_error();
    }
    char **args = vars_args();
    args[n] = args[0]; /* $0 moves up in front of what is kept */
    vars_set_args(count - n + 1, args + n);
    return 0;
}

int flow_local(int argc, char **argv)
{
    if (sh.funcs == 0) {
        sh_error("local: not in a function");
        return special_error();
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        char *name = strndup(argv[i], len);
        if (!var_is_name(name, len)) {
            sh_error("local: %s: bad variable name", argv[i]);
            status = 1;
        } else {
            vars_local(name);
            if (eq && !var_set(name, eq + 1, false))
                status = 1;
        }
        free(name);
    }
    return status;
}

/* ---- getopts and command ---- */

/*
 * getopts optstring name [args]: the next option of args (default: the
 * positional parameters) into name, its argument into OPTARG; $OPTIND is
 * the next argument's index. Where in a "-abc" group it is stays in a
 * static, reset whenever OPTIND is set back to 1 by the script.
 */
int flow_getopts(int argc, char **argv)
{
    static int group_pos; /* within argv[optind]: the next letter */
    static int last_optind;
    if (argc < 3) {
        sh_error("getopts: usage: getopts optstring name [arg...]");
        return SH_STATUS_SYNTAX;
    }
    const char *spec = argv[1], *name = argv[2];
    int nargs = argc > 3 ? argc - 3 : vars_arg_count();
    const char *optind_s = var_get("OPTIND");
    int optind = optind_s ? atoi(optind_s) : 1;
    if (optind < 1)
        optind = 1;
    if (optind != last_optind || group_pos == 0)
        group_pos = 1;
    bool quiet = spec[0] == ':';
    char num[24];
    const char *arg = optind <= nargs
                          ? (argc > 3 ? argv[2 + optind] : vars_arg(optind))
                          : NULL;
    if (!arg || arg[0] != '-' || !arg[1] || strcmp(arg, "--") == 0) {
        if (arg && strcmp(arg, "--") == 0)
            optind++;
        snprintf(num, sizeof num, "%d", optind);
        var_set("OPTIND", num, false);
        var_set(name, "?", false);
        var_unset("OPTARG");
        last_optind = optind;
        group_pos = 0;
        return 1;
    }
    char c = arg[group_pos++];
    const char *at = c == ':' ? NULL : strchr(spec + quiet, c);
    char opt[2] = {c, '\0'};
    bool next_word = !arg[group_pos];
    var_unset("OPTARG");
    if (!at) {
        if (quiet)
            var_set("OPTARG", opt, false);
        else
            sh_error("Illegal option -%c", c);
        opt[0] = '?';
    } else if (at[1] == ':') {
        const char *value =
            !next_word ? arg + group_pos
            : optind + 1 <= nargs
                ? (argc > 3 ? argv[3 + optind] : vars_arg(optind + 1))
                : NULL;
        if (next_word && value)
            optind++; /* the argument was the next word */
        if (!value) {
            if (quiet) {
                var_set("OPTARG", opt, false);
                opt[0] = ':';
            } else {
                sh_error("No arg for -%c option", c);
                opt[0] = '?';
            }
        } else {
            var_set("OPTARG", value, false);
        }
        next_word = true;
    }
    if (next_word) {
        optind++;
        group_pos = 1;
    }
    snprintf(num, sizeof num, "%d", optind);
    var_set("OPTIND", num, false);
    last_optind = optind;
    var_set(name, opt, false);
    return 0;
}

/* The path name would run from $PATH (malloc'd), or NULL. */
static char *find_in_path(const char *name)
{
    const char *path = var_get("PATH");
    char *dirs = strdup(path ? path : SH_DEFAULT_PATH), *save = NULL;
    char *found = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        size_t len = strlen(d) + strlen(name) + 2;
        char *full = malloc(len);
        snprintf(full, len, "%s/%s", d, name);
        if (access(full, X_OK) == 0)
            found = full;
        else
            free(full);
    }
    free(dirs);
    return found;
}

/* command -v name: how name would run; command name args: run it,
 * passing over functions. */
int flow_command(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        int status = argc > 2 ? 0 : 1;
        for (int i = 2; i < argc; i++) {
            char *path =
                strchr(argv[i], '/') || builtin_is(argv[i]) || func_get(argv[i])
                    ? strdup(argv[i])
                    : find_in_path(argv[i]);
            if (path && strchr(argv[i], '/') && access(path, X_OK) != 0) {
                free(path);
                path = NULL;
            }
            if (path)
                printf("%s\n", path);
            else
                status = 1;
            free(path);
        }
        return status;
    }
    if (argc < 2)
        return 0;
    if (builtin_is(argv[1]))
        return builtin_run(argc - 1, argv + 1);
    return exec_external(argv + 1);
}
