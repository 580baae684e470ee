/*
 * Shell variables: a name, a value and whether children see it.
 *
 * The table starts as a copy of the environment the shell was given (all
 * exported), and every program the shell starts gets the exported ones as
 * its environment (vars_environ()). A plain array searched in order is
 * enough: a shell holds a few dozen variables. The positional parameters
 * of a script ($0, $1..., $#) are kept apart, as they are not variables.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct var {
    char *name;
    char *value;
    bool exported;
};

static struct {
    struct var *v;
    int count, cap;
    int argc; /* positional parameters: argv[0] is $0 */
    char **argv;
} vars;

bool var_is_name(const char *s, size_t len)
{
    if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

static struct var *find(const char *name)
{
    for (int i = 0; i < vars.count; i++)
        if (strcmp(vars.v[i].name, name) == 0)
            return &vars.v[i];
    return NULL;
}

void var_set(const char *name, const char *value, bool export)
{
    struct var *v = find(name);
    if (!v) {
        if (vars.count == vars.cap) {
            vars.cap = vars.cap ? 2 * vars.cap : 32;
            vars.v = realloc(vars.v, sizeof *vars.v * (size_t)vars.cap);
        }
        v = &vars.v[vars.count++];
        v->name = strdup(name);
        v->value = NULL;
        v->exported = false;
    }
    if (value) {
        free(v->value);
        v->value = strdup(value);
    }
    v->exported |= export;
}

void var_export(const char *name)
{
    var_set(name, NULL, true);
}

const char *var_get(const char *name)
{
    struct var *v = find(name);
    return v ? v->value : NULL;
}

void var_unset(const char *name)
{
    struct var *v = find(name);
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = vars.v[--vars.count];
}

void vars_init(char **environ)
{
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || !var_is_name(*e, (size_t)(eq - *e)))
            continue;
        char *name = strndup(*e, (size_t)(eq - *e));
        var_set(name, eq + 1, true);
        free(name);
    }
}

char **vars_environ(void)
{
    char **env = calloc((size_t)vars.count + 1, sizeof *env);
    int n = 0;
    for (int i = 0; i < vars.count; i++) {
        struct var *v = &vars.v[i];
        if (!v->exported || !v->value)
            continue;
        size_t len = strlen(v->name) + strlen(v->value) + 2;
        env[n] = malloc(len);
        snprintf(env[n++], len, "%s=%s", v->name, v->value);
    }
    return env;
}

void vars_free_environ(char **env)
{
    argv_free(env);
}

void vars_print_exported(void)
{
    for (int i = 0; i < vars.count; i++)
        if (vars.v[i].exported && vars.v[i].value)
            printf("export %s='%s'\n", vars.v[i].name, vars.v[i].value);
}

void vars_set_args(int argc, char **argv)
{
    vars.argc = argc;
    vars.argv = argv;
}

char **vars_args(void)
{
    return vars.argv;
}

const char *vars_arg(int n)
{
    return n < vars.argc ? vars.argv[n] : NULL;
}

int vars_arg_count(void)
{
    return vars.argc > 0 ? vars.argc - 1 : 0;
}
