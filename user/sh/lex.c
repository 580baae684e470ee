/*
 * The lexer: a command text cut into words and operators, one at a time.
 *
 * A word runs until an unquoted blank or operator character (; & | < > ( )
 * newline) and keeps its quotes and backslashes: removing them is
 * expand.c's job, because "$X" and $X expand differently and only the
 * quotes tell them apart. What a word holds whole, blanks and all: '...',
 * "...", $(...), $((...)), ${...} and `...`, each skipped by matching its
 * end, with nesting. A word of digits right before < or > is the
 * descriptor of a redirection (2>, 2>>, 2>&1), as in POSIX. '#' at the
 * start of a word begins a comment that runs to the end of the line.
 *
 * Tokens are made on demand, because of here-documents: "cat <<EOF" takes
 * its body from the lines after the command, so the parser queues the
 * redirection (lex_heredoc()) and the next newline token reads the body
 * up to the delimiter line, leaving the lexer after it.
 *
 * An open quote or construct at the end of the text makes it incomplete
 * rather than wrong: the interactive shell then reads another line ("> ")
 * and lexes the two together.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_op_char(char c)
{
    return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
           c == '(' || c == ')' || c == '\n';
}

/*
 * From the character after "$(" (or "`" with backtick set), returns the
 * index after the matching ")" (or "`"); *open when the text ends first.
 */
/* True if the word "w" starts at s[i] and ends right after it. */
static bool word_at(const char *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    return (i == 0 || isspace((unsigned char)s[i - 1]) || s[i - 1] == ';' ||
            s[i - 1] == '(') &&
           strncmp(s + i, w, n) == 0 &&
           (!s[i + n] || isspace((unsigned char)s[i + n]) || s[i + n] == ';' ||
            s[i + n] == ')');
}

static size_t skip_nested(const char *s, size_t i, char close, bool *open)
{
    int depth = 1;
    int cases = 0; /* a case's "pattern)" closes no parenthesis */
    while (s[i]) {
        char c = s[i];
        if (close == ')' && word_at(s, i, "case")) {
            cases++;
            i += 4;
        } else if (close == ')' && cases && word_at(s, i, "esac")) {
            cases--;
            i += 4;
        } else if (close == ')' && c == ')' && cases && depth == 1) {
            i++;
        } else if (c == '\\' && s[i + 1]) {
            i += 2;
        } else if (close == '`' && c == '`') {
            return i + 1;
        } else if (close != '`' && (c == '\'' || c == '"' || c == '`' ||
                                    (c == '$' && strchr("({", s[i + 1])))) {
            i = lex_skip(s, i, open);
            if (*open)
                return i;
        } else if (close == ')' && c == '(') {
            depth++, i++;
        } else if (close == ')' && c == ')') {
            if (--depth == 0)
                return i + 1;
            i++;
        } else if (close == '}' && c == '}') {
            return i + 1;
        } else if (close == ')' && c == '#' &&
                   (i == 0 || isspace((unsigned char)s[i - 1]))) {
            while (s[i] && s[i] != '\n')
                i++; /* a comment: its quotes and parentheses count not */
        } else {
            i++;
        }
    }
    *open = true;
    return i;
}

/*
 * At a quote or $ construct starting at s[i], returns the index after it
 * (i + 1 for anything else); *open when the text ends inside it.
 */
size_t lex_skip(const char *s, size_t i, bool *open)
{
    char c = s[i];
    if (c == '\'') {
        const char *end = strchr(s + i + 1, '\'');
        if (!end) {
            *open = true;
            return strlen(s);
        }
        return (size_t)(end - s) + 1;
    }
    if (c == '"') {
        i++;
        while (s[i] && s[i] != '"') {
            if (s[i] == '\\' && s[i + 1])
                i += 2;
            else if (s[i] == '`' || (s[i] == '$' && strchr("({", s[i + 1])))
                i = s[i] == '`' || s[i + 1] ? lex_skip(s, i, open) : i + 1;
            else
                i++;
            if (*open)
                return i;
        }
        if (!s[i]) {
            *open = true;
            return i;
        }
        return i + 1;
    }
    if (c == '`')
        return skip_nested(s, i + 1, '`', open);
    if (c == '$' && s[i + 1] == '(')
        return skip_nested(s, i + 2, ')', open);
    if (c == '$' && s[i + 1] == '{')
        return skip_nested(s, i + 2, '}', open);
    return i + 1;
}

/* Moves past one word. LEX_INCOMPLETE if something in it is still open. */
static enum lex_result scan_word(struct lexer *lx)
{
    const char *s = lx->src;
    bool open = false;
    while (s[lx->pos] && !isblank((unsigned char)s[lx->pos]) &&
           !is_op_char(s[lx->pos])) {
        char c = s[lx->pos];
        if (c == '\\') {
            if (!s[lx->pos + 1])
                return LEX_INCOMPLETE;
            lx->pos += 2;
        } else {
            lx->pos = lex_skip(s, lx->pos, &open);
            if (open)
                return LEX_INCOMPLETE;
        }
    }
    return LEX_OK;
}

static void set_token(struct lexer *lx, struct token *t, enum tok_kind kind,
                      size_t start)
{
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->start = start;
    t->end = lx->pos;
    t->text = strndup(lx->src + start, lx->pos - start);
}

/* A redirection operator at pos; fd already known (-1: the default). */
static void scan_redir(struct lexer *lx, struct token *t, size_t start, int fd)
{
    const char *s = lx->src;
    char c = s[lx->pos++];
    enum redir_kind kind = c == '<' ? REDIR_IN : REDIR_OUT;
    bool strip = false;
    if (c == '>' && (s[lx->pos] == '>' || s[lx->pos] == '|')) {
        kind = s[lx->pos++] == '>' ? REDIR_APPEND : REDIR_OUT;
    } else if (s[lx->pos] == '&') {
        lx->pos++;
        kind = REDIR_DUP;
    } else if (c == '<' && s[lx->pos] == '>') {
        lx->pos++;
        kind = REDIR_RW;
    } else if (c == '<' && s[lx->pos] == '<') {
        lx->pos++;
        kind = REDIR_HEREDOC;
        if (s[lx->pos] == '-') {
            lx->pos++;
            strip = true;
        }
    }
    set_token(lx, t, TOK_REDIR, start);
    t->redir = kind;
    t->strip_tabs = strip;
    t->fd = fd >= 0 ? fd : (c == '<' ? 0 : 1);
}

/* One operator of ; ;; & && | || ( ) at pos. */
static void scan_op(struct lexer *lx, struct token *t)
{
    size_t start = lx->pos;
    char c = lx->src[lx->pos++];
    char next = lx->src[lx->pos];
    enum tok_kind kind = TOK_NEWLINE;
    if (c == ';') {
        kind = next == ';' ? TOK_DSEMI : TOK_SEMI;
    } else if (c == '&') {
        kind = next == '&' ? TOK_AND : TOK_AMP;
    } else if (c == '|') {
        kind = next == '|' ? TOK_OR : TOK_PIPE;
    } else if (c == '(' || c == ')') {
        kind = c == '(' ? TOK_LPAREN : TOK_RPAREN;
    }
    if (kind == TOK_DSEMI || kind == TOK_AND || kind == TOK_OR)
        lx->pos++;
    set_token(lx, t, kind, start);
}

/* The delimiter with its quotes removed; *quoted if it had any. */
static char *unquote_delim(const char *w, bool *quoted)
{
    char *out = malloc(strlen(w) + 1);
    size_t n = 0;
    *quoted = false;
    for (; *w; w++) {
        if (*w == '\'' || *w == '"') {
            *quoted = true;
        } else if (*w == '\\' && w[1]) {
            *quoted = true;
            out[n++] = *++w;
        } else {
            out[n++] = *w;
        }
    }
    out[n] = '\0';
    return out;
}

/* Reads the body of r from pos: lines up to one equal to its delimiter. */
static bool read_body(struct lexer *lx, struct redir *r)
{
    char *delim = unquote_delim(r->word, &r->quoted);
    size_t dlen = strlen(delim);
    char *body = malloc(strlen(lx->src + lx->pos) + 1);
    size_t n = 0;
    bool found = false;
    while (lx->src[lx->pos]) {
        const char *line = lx->src + lx->pos;
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!nl && !lx->eof_ok)
            break; /* the line may not be complete yet */
        lx->pos += len + (nl != NULL);
        if (r->strip_tabs)
            while (len > 0 && *line == '\t')
                line++, len--;
        if (len == dlen && memcmp(line, delim, dlen) == 0) {
            found = true;
            break;
        }
        memcpy(body + n, line, len);
        n += len;
        body[n++] = '\n';
    }
    body[n] = '\0';
    free(delim);
    free(r->word);
    r->word = body;
    return found || lx->eof_ok;
}

bool lex_heredoc(struct lexer *lx, struct redir *r)
{
    if (lx->npending == (int)(sizeof lx->pending / sizeof lx->pending[0]))
        return false;
    lx->pending[lx->npending++] = r;
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

enum lex_result lex_next(struct lexer *lx, struct token *t)
{
    const char *src = lx->src;
    for (;;) {
        while (isblank((unsigned char)src[lx->pos]))
            lx->pos++;
        if (src[lx->pos] == '\\' && src[lx->pos + 1] == '\n') {
            lx->pos += 2; /* a line continued */
            continue;
        }
        if (src[lx->pos] == '#') {
            while (src[lx->pos] && src[lx->pos] != '\n')
                lx->pos++;
        }
        break;
    }
    char c = src[lx->pos];
    size_t start = lx->pos;
    if (!c) {
        set_token(lx, t, TOK_END, start);
        if (lx->npending && !lx->eof_ok)
            return LEX_INCOMPLETE;
        for (int i = 0; i < lx->npending; i++)
            read_body(lx, lx->pending[i]); /* empty: the text ended */
        lx->npending = 0;
        return LEX_OK;
    }
    if (c == '<' || c == '>') {
        scan_redir(lx, t, start, -1);
    } else if (is_op_char(c)) {
        scan_op(lx, t);
        if (t->kind == TOK_NEWLINE) {
            for (int i = 0; i < lx->npending; i++)
                if (!read_body(lx, lx->pending[i]))
                    return LEX_INCOMPLETE;
            lx->npending = 0;
        }
    } else {
        if (scan_word(lx) != LEX_OK) {
            set_token(lx, t, TOK_END, start);
            return LEX_INCOMPLETE;
        }
        char next = src[lx->pos];
        if ((next == '<' || next == '>') &&
            all_digits(src + start, lx->pos - start) && lx->pos - start < 3)
            scan_redir(lx, t, start, atoi(src + start));
        else
            set_token(lx, t, TOK_WORD, start);
    }
    return LEX_OK;
}
