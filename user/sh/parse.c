/*
 * The parser: tokens to a tree of nodes, by recursive descent.
 *
 * The grammar is POSIX's, one function per rule:
 *
 *   list     := and_or ((';' | '&' | newline) and_or)*
 *   and_or   := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := '!'? command ('|' newline* command)*
 *   command  := compound redirection* | function | simple
 *   compound := '{' list '}' | '(' list ')' | if | while | until | for
 *             | case
 *   if       := 'if' list 'then' list ('elif' ... | 'else' list)? 'fi'
 *   while    := ('while' | 'until') list 'do' list 'done'
 *   for      := 'for' NAME ('in' word*)? (';' | newline) 'do' list 'done'
 *   case     := 'case' word 'in' ('('? word ('|' word)* ')' list? ';;')*
 *               'esac'
 *   function := NAME '(' ')' newline* compound
 *   simple   := (word | redirection)+
 *
 * Reserved words (if, then, fi, {, }...) are reserved only where a command
 * may start, so `echo fi` prints "fi". A list inside a construct stops at
 * the reserved words that may follow it ("then" ends an if's condition),
 * and at ')' and ';;'.
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
    struct lexer lx;
    struct token tok; /* the token ahead, when have_tok */
    bool have_tok;
    size_t last_end; /* where the last taken token ended */
    bool incomplete, error;
};

static struct token *peek(struct parser *p)
{
    if (!p->have_tok) {
        enum lex_result r = lex_next(&p->lx, &p->tok);
        if (r == LEX_INCOMPLETE)
            p->incomplete = true;
        p->have_tok = true;
    }
    return &p->tok;
}

static void take(struct parser *p)
{
    peek(p);
    p->last_end = p->tok.end;
    free(p->tok.text);
    p->tok.text = NULL;
    p->have_tok = false;
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
        take(p);
}

static bool expect(struct parser *p, const char *w)
{
    if (!at_word(p, w)) {
        fail(p);
        return false;
    }
    take(p);
    return true;
}

static void add_word(char ***words, int *n, const char *w)
{
    *words = realloc(*words, sizeof(char *) * (size_t)(*n + 2));
    (*words)[(*n)++] = strdup(w);
    (*words)[*n] = NULL;
}

static struct node *parse_list(struct parser *p, const char *const *stops);
static struct node *parse_command(struct parser *p);

/* Adds one redirection token (and its word) to the list at *head. */
static bool parse_redir(struct parser *p, struct redir **head)
{
    struct token *t = peek(p);
    struct redir *r = calloc(1, sizeof *r);
    r->kind = t->redir;
    r->fd = t->fd;
    r->strip_tabs = t->strip_tabs;
    take(p);
    if (peek(p)->kind != TOK_WORD) {
        free(r);
        if (!p->incomplete) {
            p->error = true;
            sh_error("syntax error near unexpected token '%s'",
                     tok_name(peek(p)));
        }
        return false;
    }
    r->word = strdup(peek(p)->text);
    struct redir **tail = head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    if (r->kind == REDIR_HEREDOC && !lex_heredoc(&p->lx, r)) {
        p->error = true;
        sh_error("syntax error: too many here-documents on one line");
        return false;
    }
    take(p);
    return true;
}

static struct node *parse_function(struct parser *p, struct node *cmd)
{
    take(p); /* ( */
    if (peek(p)->kind != TOK_RPAREN) {
        node_free(cmd);
        return fail(p);
    }
    take(p);
    skip_newlines(p);
    struct node *f = new_node(N_FUNC, NULL, NULL);
    f->var = strdup(cmd->words[0]);
    node_free(cmd);
    f->left = parse_command(p);
    if (!f->left || f->left->kind == N_CMD || f->left->kind == N_FUNC) {
        if (f->left)
            fail(p);
        node_free(f);
        return NULL;
    }
    f->left->refs = 1;
    return f;
}

static struct node *parse_simple(struct parser *p)
{
    struct node *cmd = new_node(N_CMD, NULL, NULL);
    for (;;) {
        struct token *t = peek(p);
        if (t->kind == TOK_WORD) {
            add_word(&cmd->words, &cmd->nwords, t->text);
            take(p);
            if (cmd->nwords == 1 && !cmd->redirs &&
                peek(p)->kind == TOK_LPAREN &&
                var_is_name(cmd->words[0], strlen(cmd->words[0])))
                return parse_function(p, cmd);
        } else if (t->kind == TOK_REDIR) {
            if (!parse_redir(p, &cmd->redirs)) {
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
static const char *const stop_brace[] = {"}", NULL};
static const char *const stop_esac[] = {"esac", NULL};

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
            take(p);
            if ((n->other = parse_if_rest(p)))
                return n;
        } else if (at_word(p, "else")) {
            take(p);
            if ((n->other = parse_body(p, stop_fi)) && expect(p, "fi"))
                return n;
        } else if (expect(p, "fi")) {
            return n;
        }
    }
    node_free(n);
    return NULL;
}

static struct node *parse_while(struct parser *p, enum node_kind kind)
{
    struct node *n = new_node(kind, NULL, NULL);
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
    take(p);
    skip_newlines(p);
    if (at_word(p, "in")) {
        take(p);
        n->words = calloc(1, sizeof(char *));
        while (peek(p)->kind == TOK_WORD) {
            add_word(&n->words, &n->nwords, peek(p)->text);
            take(p);
        }
        if (peek(p)->kind == TOK_SEMI)
            take(p);
        else if (peek(p)->kind != TOK_NEWLINE) {
            node_free(n);
            return fail(p);
        }
    } else {
        add_word(&n->words, &n->nwords, "\"$@\"");
        if (peek(p)->kind == TOK_SEMI)
            take(p);
    }
    skip_newlines(p);
    if (expect(p, "do") && (n->right = parse_body(p, stop_done)) &&
        expect(p, "done"))
        return n;
    node_free(n);
    return NULL;
}

/* One "pattern | pattern) list ;;" of a case. */
static struct case_item *parse_case_item(struct parser *p)
{
    struct case_item *it = calloc(1, sizeof *it);
    if (peek(p)->kind == TOK_LPAREN)
        take(p);
    for (;;) {
        if (peek(p)->kind != TOK_WORD)
            goto bad;
        add_word(&it->pats, &it->npats, peek(p)->text);
        take(p);
        if (peek(p)->kind == TOK_RPAREN)
            break;
        if (peek(p)->kind != TOK_PIPE)
            goto bad;
        take(p);
    }
    take(p);
    it->body = parse_list(p, stop_esac);
    if (p->error || p->incomplete)
        goto out;
    if (peek(p)->kind == TOK_DSEMI)
        take(p);
    else if (!at_word(p, "esac"))
        goto bad;
    skip_newlines(p);
    return it;
bad:
    fail(p);
out:
    for (int i = 0; i < it->npats; i++)
        free(it->pats[i]);
    free(it->pats);
    node_free(it->body);
    free(it);
    return NULL;
}

static struct node *parse_case(struct parser *p)
{
    if (peek(p)->kind != TOK_WORD)
        return fail(p);
    struct node *n = new_node(N_CASE, NULL, NULL);
    n->var = strdup(peek(p)->text);
    take(p);
    skip_newlines(p);
    if (!expect(p, "in")) {
        node_free(n);
        return NULL;
    }
    skip_newlines(p);
    struct case_item **tail = &n->items;
    while (!at_word(p, "esac")) {
        if (!(*tail = parse_case_item(p))) {
            node_free(n);
            return NULL;
        }
        tail = &(*tail)->next;
    }
    take(p);
    return n;
}

/* The compound command at the current token, without its redirections. */
static struct node *parse_compound(struct parser *p)
{
    if (peek(p)->kind == TOK_LPAREN) {
        take(p);
        struct node *n = new_node(N_SUBSHELL, parse_list(p, NULL), NULL);
        if (!n->left || peek(p)->kind != TOK_RPAREN) {
            if (n->left || (!p->error && !p->incomplete))
                fail(p);
            node_free(n);
            return NULL;
        }
        take(p);
        return n;
    }
    char w = peek(p)->text[0]; /* the words differ in their first two */
    take(p);
    if (w == '{') {
        struct node *n = new_node(N_GROUP, parse_body(p, stop_brace), NULL);
        if (n->left && expect(p, "}"))
            return n;
        node_free(n);
        return NULL;
    }
    if (w == 'i')
        return parse_if_rest(p);
    if (w == 'w')
        return parse_while(p, N_WHILE);
    if (w == 'u')
        return parse_while(p, N_UNTIL);
    if (w == 'f')
        return parse_for(p);
    return parse_case(p);
}

static struct node *parse_command(struct parser *p)
{
    static const char *const starts[] = {"{",   "if",   "while", "until",
                                         "for", "case", NULL};
    static const char *const misplaced[] = {"then", "else", "elif", "fi", "do",
                                            "done", "}",    "esac", "in", NULL};
    if (in_set(p, misplaced) || peek(p)->kind == TOK_RPAREN)
        return fail(p);
    if (peek(p)->kind != TOK_LPAREN && !in_set(p, starts))
        return parse_simple(p);
    struct node *n = parse_compound(p);
    while (n && peek(p)->kind == TOK_REDIR)
        if (!parse_redir(p, &n->redirs)) {
            node_free(n);
            return NULL;
        }
    return n;
}

static struct node *parse_pipeline(struct parser *p)
{
    bool negate = false;
    while (at_word(p, "!")) {
        take(p);
        negate = !negate;
    }
    struct node *left = parse_command(p);
    while (left && peek(p)->kind == TOK_PIPE) {
        take(p);
        skip_newlines(p);
        struct node *right = parse_command(p);
        if (!right) {
            node_free(left);
            return NULL;
        }
        left = new_node(N_PIPE, left, right);
    }
    return left && negate ? new_node(N_NOT, left, NULL) : left;
}

static struct node *parse_and_or(struct parser *p)
{
    size_t start = peek(p)->start;
    struct node *left = parse_pipeline(p);
    while (left && (peek(p)->kind == TOK_AND || peek(p)->kind == TOK_OR)) {
        enum node_kind kind = peek(p)->kind == TOK_AND ? N_AND : N_OR;
        take(p);
        skip_newlines(p);
        struct node *right = parse_pipeline(p);
        if (!right) {
            node_free(left);
            return NULL;
        }
        left = new_node(kind, left, right);
    }
    if (left)
        left->text = strndup(p->lx.src + start, p->last_end - start);
    return left;
}

/* and_or lists up to a stop word, ')', ';;' or the end; one line only
 * when line is set (the top level). */
static struct node *parse_list_at(struct parser *p, const char *const *stops,
                                  bool line)
{
    struct node *list = NULL;
    for (;;) {
        if (!line)
            skip_newlines(p);
        enum tok_kind k = peek(p)->kind;
        if (k == TOK_END || k == TOK_RPAREN || k == TOK_DSEMI ||
            (line && k == TOK_NEWLINE) || in_set(p, stops))
            return list;
        struct node *n = parse_and_or(p);
        if (!n) {
            node_free(list);
            return NULL;
        }
        k = peek(p)->kind;
        if (k == TOK_AMP) {
            struct node *bg = new_node(N_BG, n, NULL);
            bg->text = strdup(n->text);
            n = bg;
        }
        list = list ? new_node(N_SEQ, list, n) : n;
        if (k == TOK_AMP || k == TOK_SEMI) {
            take(p);
        } else if (k == TOK_NEWLINE) {
            if (line)
                return list;
            take(p);
        } else if (k != TOK_END && k != TOK_RPAREN && k != TOK_DSEMI &&
                   !in_set(p, stops)) {
            node_free(list);
            return fail(p);
        }
    }
}

static struct node *parse_list(struct parser *p, const char *const *stops)
{
    return parse_list_at(p, stops, false);
}

struct parser *parser_new(const char *src, bool eof_ok)
{
    struct parser *p = calloc(1, sizeof *p);
    p->lx.src = src;
    p->lx.eof_ok = eof_ok;
    return p;
}

void parser_free(struct parser *p)
{
    if (p->have_tok)
        free(p->tok.text);
    free(p);
}

enum parse_result parser_next(struct parser *p, struct node **out)
{
    *out = NULL;
    if (p->error)
        return PARSE_ERROR;
    skip_newlines(p);
    struct node *n = NULL;
    if (peek(p)->kind != TOK_END || p->incomplete) {
        n = parse_list_at(p, NULL, true);
        if (n && !p->error && !p->incomplete) {
            if (peek(p)->kind == TOK_NEWLINE)
                take(p); /* reads the here-documents, if any */
            else if (peek(p)->kind != TOK_END)
                fail(p);
        }
        if (!n && !p->error && !p->incomplete)
            fail(p);
    }
    if (p->error || p->incomplete) {
        node_free(n);
        return p->error ? PARSE_ERROR : PARSE_INCOMPLETE;
    }
    *out = n;
    return n ? PARSE_OK : PARSE_EMPTY;
}

enum parse_result parse(const char *src, struct node **out)
{
    struct parser *p = parser_new(src, false);
    struct node *all = NULL, *n;
    enum parse_result r;
    while ((r = parser_next(p, &n)) == PARSE_OK)
        all = all ? new_node(N_SEQ, all, n) : n;
    parser_free(p);
    if (r != PARSE_EMPTY) {
        node_free(all);
        all = NULL;
    }
    *out = all;
    return r != PARSE_EMPTY ? r : all ? PARSE_OK : PARSE_EMPTY;
}

static void case_free(struct case_item *it)
{
    while (it) {
        struct case_item *next = it->next;
        for (int i = 0; i < it->npats; i++)
            free(it->pats[i]);
        free(it->pats);
        node_free(it->body);
        free(it);
        it = next;
    }
}

void node_free(struct node *n)
{
    if (!n || (n->refs > 0 && --n->refs > 0))
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
    case_free(n->items);
    free(n->var);
    free(n->text);
    free(n);
}
