/*
 * Shell variables: a name, a value and whether children see it.
 *
 * The table starts as a copy of the environment the shell was given (all
 * exported), and every program the shell starts gets the exported ones as
 * its environment (vars_environ()). A plain array searched in order is
 * enough: a shell holds a few dozen variables. The positional parameters
 * of a script ($0, $1..., $#) are kept apart, as they are not variables.
 * `local` saves a variable's old state on a stack of frames, one frame
 * per running function, and the frame's end puts it back.
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
    bool readonly;
};

/* A variable's state before `local` changed it. */
struct saved {
    char *name;
    char *value; /* NULL: it was unset */
    bool exported;
};

static struct {
    struct var *v;
    int count, cap;
    int argc; /* positional parameters: argv[0] is $0 */
    char **argv;
    struct saved *saved; /* the stack of local variables' old states */
    int nsaved, saved_cap;
    int frames; /* functions running */
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

bool var_set(const char *name, const char *value, bool export)
{
    struct var *v = find(name);
    if (v && v->readonly && value) {
        sh_error("%s: is read only", name);
        return false;
    }
    if (!v) {
        if (vars.count == vars.cap) {
            vars.cap = vars.cap ? 2 * vars.cap : 32;
            vars.v = realloc(vars.v, sizeof *vars.v * (size_t)vars.cap);
        }
        v = &vars.v[vars.count++];
        v->name = strdup(name);
        v->value = NULL;
        v->exported = false;
        v->readonly = false;
    }
    if (value) {
        free(v->value);
        v->value = strdup(value);
    }
    v->exported |= export;
    return true;
}

void var_readonly(const char *name)
{
    var_set(name, NULL, false);
    find(name)->readonly = true;
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

bool var_unset(const char *name)
{
    struct var *v = find(name);
    if (!v)
        return true;
    if (v->readonly) {
        sh_error("%s: is read only", name);
        return false;
    }
    free(v->name);
    free(v->value);
    *v = vars.v[--vars.count];
    return true;
}

void vars_local(const char *name)
{
    if (vars.frames == 0)
        return;
    if (vars.nsaved == vars.saved_cap) {
        vars.saved_cap = vars.saved_cap ? 2 * vars.saved_cap : 16;
        vars.saved =
            realloc(vars.saved, sizeof *vars.saved * (size_t)vars.saved_cap);
    }
    struct var *v = find(name);
    struct saved *s = &vars.saved[vars.nsaved++];
    s->name = strdup(name);
    s->value = v && v->value ? strdup(v->value) : NULL;
    s->exported = v && v->exported;
}

int vars_frame_push(void)
{
    vars.frames++;
    return vars.nsaved;
}

void vars_frame_pop(int mark)
{
    vars.frames--;
    while (vars.nsaved > mark) {
        struct saved *s = &vars.saved[--vars.nsaved];
        struct var *v = find(s->name);
        if (v)
            v->readonly = false; /* a local made read-only ends with it */
        if (s->value) {
            var_set(s->name, s->value, false);
            find(s->name)->exported = s->exported;
        } else {
            var_unset(s->name);
        }
        free(s->name);
        free(s->value);
    }
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

/* Prints s in single quotes, each ' as '\''. */
static void print_quoted(const char *s)
{
    putchar('\'');
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    }
    putchar('\'');
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

void vars_print(char which)
{
    qsort(vars.v, (size_t)vars.count, sizeof *vars.v, by_name);
    for (int i = 0; i < vars.count; i++) {
        struct var *v = &vars.v[i];
        if ((which == 'x' && !v->exported) || (which == 'r' && !v->readonly))
            continue;
        if (which == 'x')
            printf("export %s", v->name);
        else if (which == 'r')
            printf("readonly %s", v->name);
        else if (!v->value)
            continue;
        else
            printf("%s", v->name);
        if (v->value) {
            putchar('=');
            print_quoted(v->value);
        }
        putchar('\n');
    }
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
