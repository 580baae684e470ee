/*
 * The lexer: a command line's text cut into words and operators.
 *
 * A word runs until an unquoted blank or operator character (; & | < >
 * newline) and keeps its quotes and backslashes: removing them is
 * expand.c's job, because "$X" and $X expand differently and only the
 * quotes tell them apart. A word of digits right before < or > is the
 * descriptor of a redirection (2>, 2>>, 2>&1), as in POSIX. '#' at the
 * start of a word begins a comment that runs to the end of the line.
 *
 * An open quote or a trailing backslash makes the text incomplete rather
 * than wrong: the interactive shell then reads another line ("> ") and
 * lexes the two together.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct lexer {
    const char *src;
    size_t pos;
    struct token *toks;
    int count, cap;
};

static bool is_op_char(char c)
{
    return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
           c == '\n';
}

static struct token *push(struct lexer *lx, enum tok_kind kind, size_t start)
{
    if (lx->count == lx->cap) {
        lx->cap = lx->cap ? 2 * lx->cap : 16;
        lx->toks = realloc(lx->toks, sizeof *lx->toks * (size_t)lx->cap);
    }
    struct token *t = &lx->toks[lx->count++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->start = start;
    t->end = lx->pos;
    t->text = strndup(lx->src + start, lx->pos - start);
    return t;
}

/*
 * Moves past one word, quotes included. LEX_INCOMPLETE if a quote or a
 * backslash at the very end is still open.
 */
static enum lex_result scan_word(struct lexer *lx)
{
    const char *s = lx->src;
    while (s[lx->pos] && !isblank((unsigned char)s[lx->pos]) &&
           !is_op_char(s[lx->pos])) {
        char c = s[lx->pos++];
        if (c == '\\') {
            if (!s[lx->pos])
                return LEX_INCOMPLETE;
            lx->pos++;
        } else if (c == '\'') {
            const char *end = strchr(s + lx->pos, '\'');
            if (!end)
                return LEX_INCOMPLETE;
            lx->pos = (size_t)(end - s) + 1;
        } else if (c == '"') {
            while (s[lx->pos] && s[lx->pos] != '"') {
                if (s[lx->pos] == '\\' && s[lx->pos + 1])
                    lx->pos++;
                lx->pos++;
            }
            if (!s[lx->pos])
                return LEX_INCOMPLETE;
            lx->pos++;
        } else if (c == '$' && s[lx->pos] == '(') {
            int depth = 0; /* $((...)) may hold blanks */
            for (; s[lx->pos]; lx->pos++) {
                depth += (s[lx->pos] == '(') - (s[lx->pos] == ')');
                if (depth == 0)
                    break;
            }
            if (!s[lx->pos])
                return LEX_INCOMPLETE;
            lx->pos++;
        } else if (c == '$' && s[lx->pos] == '{') {
            const char *end = strchr(s + lx->pos, '}');
            if (!end)
                return LEX_INCOMPLETE;
            lx->pos = (size_t)(end - s) + 1;
        }
    }
    return LEX_OK;
}

/* A redirection operator at pos, fd already known (-1: the default). */
static enum lex_result scan_redir(struct lexer *lx, size_t start, int fd,
                                  const char **err)
{
    const char *s = lx->src;
    char c = s[lx->pos++];
    int kind = c == '<' ? REDIR_IN : REDIR_OUT;
    int dup_fd = -1;
    if (c == '>' && s[lx->pos] == '>') {
        lx->pos++;
        kind = REDIR_APPEND;
    } else if (s[lx->pos] == '&') {
        lx->pos++;
        if (!isdigit((unsigned char)s[lx->pos])) {
            *err = c == '<' ? "<&" : ">&";
            return LEX_ERROR;
        }
        dup_fd = 0;
        while (isdigit((unsigned char)s[lx->pos]))
            dup_fd = dup_fd * 10 + (s[lx->pos++] - '0');
        kind = REDIR_DUP;
    }
    struct token *t = push(lx, TOK_REDIR, start);
    t->redir = kind;
    t->fd = fd >= 0 ? fd : (c == '<' ? 0 : 1);
    t->dup_fd = dup_fd;
    return LEX_OK;
}

/* One operator of ; & && | || newline at pos. */
static void scan_op(struct lexer *lx)
{
    size_t start = lx->pos;
    char c = lx->src[lx->pos++];
    enum tok_kind kind = TOK_NEWLINE;
    if (c == ';') {
        kind = TOK_SEMI;
    } else if (c == '&') {
        kind = TOK_AMP;
        if (lx->src[lx->pos] == '&') {
            lx->pos++;
            kind = TOK_AND;
        }
    } else if (c == '|') {
        kind = TOK_PIPE;
        if (lx->src[lx->pos] == '|') {
            lx->pos++;
            kind = TOK_OR;
        }
    }
    push(lx, kind, start);
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

enum lex_result lex(const char *src, struct token **out, int *count,
                    const char **err)
{
    struct lexer lx = {.src = src};
    enum lex_result r = LEX_OK;
    *err = NULL;
    while (r == LEX_OK) {
        while (isblank((unsigned char)src[lx.pos]))
            lx.pos++;
        char c = src[lx.pos];
        if (!c)
            break;
        if (c == '\\' && src[lx.pos + 1] == '\n') {
            lx.pos += 2; /* a line continued */
        } else if (c == '#') {
            while (src[lx.pos] && src[lx.pos] != '\n')
                lx.pos++;
        } else if (c == '<' || c == '>') {
            r = scan_redir(&lx, lx.pos, -1, err);
        } else if (is_op_char(c)) {
            scan_op(&lx);
        } else {
            size_t start = lx.pos;
            r = scan_word(&lx);
            char next = src[lx.pos];
            if (r == LEX_OK && (next == '<' || next == '>') &&
                all_digits(src + start, lx.pos - start) && lx.pos - start < 3) {
                r = scan_redir(&lx, start, atoi(src + start), err);
            } else if (r == LEX_OK) {
                push(&lx, TOK_WORD, start);
            }
        }
    }
    push(&lx, TOK_END, lx.pos);
    *out = lx.toks;
    *count = lx.count;
    return r;
}

void lex_free(struct token *toks, int count)
{
    for (int i = 0; i < count; i++)
        free(toks[i].text);
    free(toks);
}
