/*
 * The parser: tokens to a tree of nodes, by recursive descent.
 *
 * The grammar is a small part of POSIX's, one function per rule:
 *
 *   list     := and_or ((';' | '&' | newline) and_or)*
 *   and_or   := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := command ('|' newline* command)*
 *   command  := if | while | for | simple
 *   if       := 'if' list 'then' list ('elif' ... | 'else' list)? 'fi'
 *   while    := 'while' list 'do' list 'done'
 *   for      := 'for' NAME ('in' word*)? (';' | newline) 'do' list 'done'
 *   simple   := (word | redirection)+
 *
 * Reserved words (if, then, fi...) are reserved only where a command may
 * start, so `echo fi` prints "fi". A list inside a construct stops at the
 * reserved words that may follow it ("then" ends an if's condition).
 *
 * Running out of tokens where the grammar needs more (after "if", "|" or
 * "&&") is not an error but PARSE_INCOMPLETE: the interactive shell asks
 * for another line, a script reports "unexpected end of file".
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <stdlib.h>
#include <string.h>

struct parser {
    const char *src;
    struct token *t;
    int i;
    bool incomplete, error;
};

static struct token *peek(struct parser *p)
{
    return &p->t[p->i];
}

static bool at_word(struct parser *p, const char *w)
{
    struct token *t = peek(p);
    return t->kind == TOK_WORD && strcmp(t->text, w) == 0;
}

static bool in_set(struct parser *p, const char *const *set)
{
    for (; set && *set; set++)
        if (at_word(p, *set))
            return true;
    return false;
}

/* A token as an error message names it. */
static const char *tok_name(const struct token *t)
{
    return t->kind == TOK_NEWLINE || t->kind == TOK_END ? "newline" : t->text;
}

/* Marks the parse failed at the current token, once. */
static struct node *fail(struct parser *p)
{
    struct token *t = peek(p);
    if (p->error || p->incomplete)
        return NULL;
    if (t->kind == TOK_END) {
        p->incomplete = true;
        return NULL;
    }
    p->error = true;
    sh_error("syntax error near unexpected token '%s'", tok_name(t));
    return NULL;
}

static struct node *new_node(enum node_kind kind, struct node *l,
                             struct node *r)
{
    struct node *n = calloc(1, sizeof *n);
    n->kind = kind;
    n->left = l;
    n->right = r;
    return n;
}

static void skip_newlines(struct parser *p)
{
    while (peek(p)->kind == TOK_NEWLINE)
        p->i++;
}

static bool expect(struct parser *p, const char *w)
{
    if (!at_word(p, w)) {
        fail(p);
        return false;
    }
    p->i++;
    return true;
}

static struct node *parse_list(struct parser *p, const char *const *stops);

/* Adds one redirection token (and its file word) to cmd. */
static bool parse_redir(struct parser *p, struct node *cmd)
{
    struct token *t = peek(p);
    struct redir *r = calloc(1, sizeof *r);
    r->kind = (enum redir_kind)t->redir;
    r->fd = t->fd;
    r->dup_fd = t->dup_fd;
    p->i++;
    if (r->kind != REDIR_DUP) {
        if (peek(p)->kind != TOK_WORD) {
            free(r);
            p->incomplete = false; /* "echo >" is an error, not unfinished */
            p->error = true;
            sh_error("syntax error near unexpected token '%s'",
                     tok_name(peek(p)));
            return false;
        }
        r->word = strdup(peek(p)->text);
        p->i++;
    }
    struct redir **tail = &cmd->redirs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    return true;
}

static struct node *parse_simple(struct parser *p)
{
    struct node *cmd = new_node(N_CMD, NULL, NULL);
    int cap = 0;
    for (;;) {
        struct token *t = peek(p);
        if (t->kind == TOK_WORD) {
            if (cmd->nwords + 2 > cap) {
                cap = cap ? 2 * cap : 8;
                cmd->words = realloc(cmd->words, sizeof(char *) * cap);
            }
            cmd->words[cmd->nwords++] = strdup(t->text);
            cmd->words[cmd->nwords] = NULL;
            p->i++;
        } else if (t->kind == TOK_REDIR) {
            if (!parse_redir(p, cmd)) {
                node_free(cmd);
                return NULL;
            }
        } else {
            break;
        }
    }
    if (cmd->nwords == 0 && !cmd->redirs) {
        node_free(cmd);
        return fail(p);
    }
    return cmd;
}

static const char *const stop_then[] = {"then", NULL};
static const char *const stop_else[] = {"elif", "else", "fi", NULL};
static const char *const stop_fi[] = {"fi", NULL};
static const char *const stop_do[] = {"do", NULL};
static const char *const stop_done[] = {"done", NULL};

/* A list that must not be empty, e.g. an if's condition. */
static struct node *parse_body(struct parser *p, const char *const *stops)
{
    struct node *n = parse_list(p, stops);
    if (!n && !p->error && !p->incomplete)
        fail(p);
    return n;
}

/* After "if" or "elif": the condition, the branches and the "fi". */
static struct node *parse_if_rest(struct parser *p)
{
    struct node *n = new_node(N_IF, NULL, NULL);
    if ((n->left = parse_body(p, stop_then)) && expect(p, "then") &&
        (n->right = parse_body(p, stop_else))) {
        if (at_word(p, "elif")) {
            p->i++;
            if ((n->other = parse_if_rest(p)))
                return n;
        } else if (at_word(p, "else")) {
            p->i++;
            if ((n->other = parse_body(p, stop_fi)) && expect(p, "fi"))
                return n;
        } else if (expect(p, "fi")) {
            return n;
        }
    }
    node_free(n);
    return NULL;
}

static struct node *parse_while(struct parser *p)
{
    struct node *n = new_node(N_WHILE, NULL, NULL);
    if ((n->left = parse_body(p, stop_do)) && expect(p, "do") &&
        (n->right = parse_body(p, stop_done)) && expect(p, "done"))
        return n;
    node_free(n);
    return NULL;
}

static struct node *parse_for(struct parser *p)
{
    struct token *name = peek(p);
    if (name->kind != TOK_WORD || !var_is_name(name->text, strlen(name->text)))
        return fail(p);
    struct node *n = new_node(N_FOR, NULL, NULL);
    n->var = strdup(name->text);
    p->i++;
    int cap = 0;
    bool has_in = at_word(p, "in");
    if (has_in) {
        p->i++;
        while (peek(p)->kind == TOK_WORD) {
            if (n->nwords + 2 > cap) {
                cap = cap ? 2 * cap : 8;
                n->words = realloc(n->words, sizeof(char *) * cap);
            }
            n->words[n->nwords++] = strdup(peek(p)->text);
            n->words[n->nwords] = NULL;
            p->i++;
        }
    } else {
        n->words = calloc(2, sizeof(char *));
        n->words[n->nwords++] = strdup("\"$@\"");
    }
    if (peek(p)->kind == TOK_SEMI)
        p->i++;
    skip_newlines(p);
    if (expect(p, "do") && (n->right = parse_body(p, stop_done)) &&
        expect(p, "done"))
        return n;
    node_free(n);
    return NULL;
}

static struct node *parse_command(struct parser *p)
{
    static const char *const misplaced[] = {"then", "else", "elif", "fi",
                                            "do",   "done", NULL};
    if (at_word(p, "if")) {
        p->i++;
        return parse_if_rest(p);
    }
    if (at_word(p, "while")) {
        p->i++;
        return parse_while(p);
    }
    if (at_word(p, "for")) {
        p->i++;
        return parse_for(p);
    }
    if (in_set(p, misplaced))
        return fail(p);
    return parse_simple(p);
}

static struct node *parse_pipeline(struct parser *p)
{
    struct node *left = parse_command(p);
    while (left && peek(p)->kind == TOK_PIPE) {
        p->i++;
        skip_newlines(p);
        struct node *right = parse_command(p);
        if (!right) {
            node_free(left);
            return NULL;
        }
        left = new_node(N_PIPE, left, right);
    }
    return left;
}

static struct node *parse_and_or(struct parser *p)
{
    size_t start = peek(p)->start;
    struct node *left = parse_pipeline(p);
    while (left && (peek(p)->kind == TOK_AND || peek(p)->kind == TOK_OR)) {
        enum node_kind kind = peek(p)->kind == TOK_AND ? N_AND : N_OR;
        p->i++;
        skip_newlines(p);
        struct node *right = parse_pipeline(p);
        if (!right) {
            node_free(left);
            return NULL;
        }
        left = new_node(kind, left, right);
    }
    if (left)
        left->text = strndup(p->src + start, p->t[p->i - 1].end - start);
    return left;
}

static struct node *parse_list(struct parser *p, const char *const *stops)
{
    struct node *list = NULL;
    for (;;) {
        skip_newlines(p);
        if (peek(p)->kind == TOK_END || in_set(p, stops))
            return list;
        struct node *n = parse_and_or(p);
        if (!n) {
            node_free(list);
            return NULL;
        }
        enum tok_kind k = peek(p)->kind;
        if (k == TOK_AMP) {
            struct node *bg = new_node(N_BG, n, NULL);
            bg->text = strdup(n->text);
            n = bg;
        }
        if (k == TOK_AMP || k == TOK_SEMI || k == TOK_NEWLINE)
            p->i++;
        else if (k != TOK_END && !in_set(p, stops)) {
            node_free(n);
            node_free(list);
            return fail(p);
        }
        list = list ? new_node(N_SEQ, list, n) : n;
    }
}

enum parse_result parse(const char *src, struct node **out)
{
    struct token *toks;
    int count;
    const char *bad;
    enum lex_result lr = lex(src, &toks, &count, &bad);
    *out = NULL;
    if (lr == LEX_INCOMPLETE) {
        lex_free(toks, count);
        return PARSE_INCOMPLETE;
    }
    if (lr == LEX_ERROR) {
        sh_error("syntax error near unexpected token '%s'", bad);
        lex_free(toks, count);
        return PARSE_ERROR;
    }
    struct parser p = {.src = src, .t = toks};
    struct node *n = parse_list(&p, NULL);
    if (!p.error && !p.incomplete && peek(&p)->kind != TOK_END) {
        node_free(n);
        n = fail(&p);
    }
    lex_free(toks, count);
    if (p.error)
        return PARSE_ERROR;
    if (p.incomplete)
        return PARSE_INCOMPLETE;
    *out = n;
    return n ? PARSE_OK : PARSE_EMPTY;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    node_free(n->left);
    node_free(n->right);
    node_free(n->other);
    for (int i = 0; i < n->nwords; i++)
        free(n->words[i]);
    free(n->words);
    while (n->redirs) {
        struct redir *r = n->redirs;
        n->redirs = r->next;
        free(r->word);
        free(r);
    }
    free(n->var);
    free(n->text);
    free(n);
}
