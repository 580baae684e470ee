/*
 * sed's script parser: text to an array of commands, checked once.
 *
 * A command is [address[,address]][!]name[arguments], separated by ';'
 * or newlines. An address is a line number, $ (the last line) or /re/
 * (\cREc with any other delimiter c). s/re/replacement/flags takes the
 * flags g, p, i/I, a number (the nth match) and w file; y/abc/xyz/
 * maps bytes; a, i and c take the rest of the line as their text (GNU's
 * one-line form, "a\" with the text on the next line works too).
 *
 * See: docs/userland.md
 */
#include "sed.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SED_BAD_SCRIPT 1

__attribute__((noreturn)) static void bad(const char *what, const char *at)
{
    fprintf(stderr, "sed: -e expression: %s near '%.20s'\n", what, at);
    exit(SED_BAD_SCRIPT);
}

static void *checked(void *p)
{
    if (!p) {
        fputs("sed: out of memory\n", stderr);
        exit(SED_BAD_SCRIPT);
    }
    return p;
}

/*
 * Copies text up to the unescaped delimiter into a new string, turning
 * "\delim" into the delimiter and, in a regex, "\n" into a newline; *p
 * moves past the delimiter.
 */
static char *until_delim(const char **p, char delim, bool regex)
{
    const char *s = *p;
    char *out = checked(malloc(strlen(s) + 1)), *o = out;
    for (; *s && *s != delim; s++) {
        if (*s == '\\' && s[1] == delim) {
            *o++ = *++s;
        } else if (*s == '\\' && s[1] == 'n' && regex) {
            *o++ = '\n';
            s++;
        } else if (*s == '\\' && s[1]) {
            *o++ = *s++;
            *o++ = *s;
        } else {
            *o++ = *s;
        }
    }
    if (*s != delim)
        bad("unterminated command", *p);
    *o = '\0';
    *p = s + 1;
    return out;
}

static void compile(regex_t *re, const char *text, bool extended, bool icase)
{
    int flags = (extended ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0);
    if (regcomp(re, text, flags) != 0)
        bad("invalid regular expression", text);
}

static bool parse_addr(const char **p, struct addr *a, bool extended)
{
    const char *s = *p;
    if (isdigit((unsigned char)*s)) {
        a->kind = ADDR_LINE;
        a->line = strtol(s, (char **)p, 10);
        return true;
    }
    if (*s == '$') {
        a->kind = ADDR_LAST;
        *p = s + 1;
        return true;
    }
    if (*s == '/' || *s == '\\') {
        char delim = *s == '\\' ? s[1] : '/';
        *p = s + (*s == '\\' ? 2 : 1);
        char *text = until_delim(p, delim, true);
        a->kind = ADDR_RE;
        compile(&a->re, text, extended, false);
        free(text);
        return true;
    }
    return false;
}

/* s's flags after the last delimiter. */
static void parse_s_flags(const char **p, struct cmd *c, bool *icase)
{
    for (;; (*p)++) {
        char f = **p;
        if (f == 'g') {
            c->global = true;
        } else if (f == 'p') {
            c->print = true;
        } else if (f == 'i' || f == 'I') {
            *icase = true;
        } else if (isdigit((unsigned char)f)) {
            c->nth = strtol(*p, (char **)p, 10);
            (*p)--;
        } else if (f == 'w') {
            const char *name = *p + 1 + strspn(*p + 1, " ");
            size_t len = strcspn(name, "\n");
            char *path = checked(strndup(name, len));
            c->wfile = fopen(path, "w");
            if (!c->wfile)
                bad("cannot open the w file", path);
            free(path);
            *p = name + len;
            return;
        } else {
            return;
        }
    }
}

/* The arguments of the command c->name, after the name. */
static void parse_args(const char **p, struct cmd *c, bool extended)
{
    if (c->name == 's') {
        char delim = *(*p)++;
        if (!delim || delim == '\n' || delim == '\\')
            bad("unterminated 's' command", *p);
        char *re = until_delim(p, delim, true);
        c->repl = until_delim(p, delim, false);
        bool icase = false;
        c->nth = 1;
        parse_s_flags(p, c, &icase);
        compile(&c->re, re, extended, icase);
        free(re);
    } else if (c->name == 'y') {
        char delim = *(*p)++;
        char *from = until_delim(p, delim, false),
             *to = until_delim(p, delim, false);
        if (strlen(from) != strlen(to))
            bad("strings for 'y' command are different lengths", from);
        for (int i = 0; i < SED_BYTES; i++)
            c->map[i] = (unsigned char)i;
        for (size_t i = 0; from[i]; i++)
            c->map[(unsigned char)from[i]] = (unsigned char)to[i];
        free(from);
        free(to);
    } else if (strchr("aic", c->name)) {
        if (**p == '\\')
            (*p)++;
        *p += strspn(*p, " \t");
        if (**p == '\n')
            (*p)++;
        size_t len = strcspn(*p, "\n");
        c->text = checked(strndup(*p, len));
        *p += len;
    } else if (!strchr("dpqn=", c->name)) {
        bad("unknown command", *p - 1);
    }
}

void sed_parse(struct script *s, const char *text)
{
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t\n;");
        if (!*p)
            return;
        if (s->count == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 8;
            s->v = checked(realloc(s->v, (size_t)s->cap * sizeof *s->v));
        }
        struct cmd *c = &s->v[s->count++];
        memset(c, 0, sizeof *c);
        if (parse_addr(&p, &c->a1, s->extended) && *p == ',') {
            p++;
            if (!parse_addr(&p, &c->a2, s->extended))
                bad("unexpected ','", p);
        }
        p += strspn(p, " \t");
        while (*p == '!') {
            c->negate = true;
            p += 1 + strspn(p + 1, " \t");
        }
        c->name = *p ? *p++ : '\0';
        if (!c->name)
            bad("missing command", p);
        parse_args(&p, c, s->extended);
        p += strspn(p, " \t");
        if (*p && *p != ';' && *p != '\n' && *p != '}')
            bad("extra characters after command", p);
    }
}
