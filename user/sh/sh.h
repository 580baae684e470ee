/*
 * Ember's shell: what its files share.
 *
 * A command line goes through four stages, one file each: lex.c cuts the
 * text into tokens (words keep their quotes), parse.c builds a tree of
 * nodes from them, expand.c turns each word into fields (variables,
 * quotes, globs), and exec.c runs the tree (fork, redirections, execve,
 * wait). jobs.c keeps the pipelines that run in the background, vars.c the
 * variables, builtins.c the commands the shell runs itself. On a terminal,
 * edit.c reads the line in raw mode, with history.c and complete.c.
 *
 * See: docs/userland.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SH_NAME             "sh"
#define SH_DEFAULT_PATH     "/bin:/usr/bin" /* $PATH when none is given */
#define SH_STATUS_NOT_FOUND 127             /* command not found (POSIX) */
#define SH_STATUS_NOT_EXEC  126 /* found, but cannot be run (POSIX) */
#define SH_STATUS_SIGNAL    128 /* 128 + n: ended by signal n */
#define SH_STATUS_SYNTAX    2   /* a syntax error, as bash and dash */

/* ---- lex.c: tokens ---- */

enum tok_kind {
    TOK_WORD,    /* text with its quotes, for expand.c */
    TOK_NEWLINE, /* a command separator, like ';' */
    TOK_SEMI,    /* ; */
    TOK_AMP,     /* & */
    TOK_AND,     /* && */
    TOK_OR,      /* || */
    TOK_PIPE,    /* | */
    TOK_REDIR,   /* < > >> N> N< N>> N>&M: see struct token */
    TOK_END,     /* end of the text */
};

struct token {
    enum tok_kind kind;
    char *text; /* TOK_WORD: the raw word; others: the operator as typed */
    int redir;  /* TOK_REDIR: a REDIR_* kind */
    int fd;     /* TOK_REDIR: the descriptor redirected */
    int dup_fd; /* TOK_REDIR of kind REDIR_DUP: the descriptor copied */
    size_t start, end; /* where it lies in the source, for job lines */
};

enum lex_result { LEX_OK, LEX_INCOMPLETE, LEX_ERROR };

/*
 * Cuts src into tokens, ending with TOK_END. LEX_INCOMPLETE when a quote
 * or a trailing backslash is still open (more lines may close it);
 * LEX_ERROR with *err set otherwise. The tokens are freed by lex_free().
 */
enum lex_result lex(const char *src, struct token **out, int *count,
                    const char **err);
void lex_free(struct token *toks, int count);

/* ---- parse.c: the tree ---- */

enum redir_kind { REDIR_IN, REDIR_OUT, REDIR_APPEND, REDIR_DUP };

struct redir {
    enum redir_kind kind;
    int fd;     /* the descriptor it changes */
    int dup_fd; /* REDIR_DUP: made a copy of this one */
    char *word; /* the file name, before expansion */
    struct redir *next;
};

enum node_kind {
    N_CMD,   /* words and redirections */
    N_PIPE,  /* left | right */
    N_AND,   /* left && right */
    N_OR,    /* left || right */
    N_SEQ,   /* left ; right */
    N_BG,    /* left & */
    N_IF,    /* if left then right else other fi */
    N_WHILE, /* while left do right done */
    N_FOR,   /* for var in words do right done */
};

struct node {
    enum node_kind kind;
    struct node *left, *right, *other;
    char **words; /* N_CMD: the words; N_FOR: the list after "in" */
    int nwords;
    struct redir *redirs; /* N_CMD */
    char *var;            /* N_FOR */
    char *text;           /* N_BG and pipelines: the source, for job lines */
};

enum parse_result { PARSE_OK, PARSE_EMPTY, PARSE_INCOMPLETE, PARSE_ERROR };

/*
 * Parses a whole text. PARSE_OK with *out set; PARSE_EMPTY for blank text
 * or comments; PARSE_INCOMPLETE when the text stops inside a construct
 * (an open quote, "if" with no "fi", a trailing "|"); PARSE_ERROR after
 * printing "sh: syntax error near unexpected token 'x'".
 */
enum parse_result parse(const char *src, struct node **out);
void node_free(struct node *n);

/* ---- vars.c: variables ---- */

void vars_init(char **environ);
/* The value of name, or NULL when it is unset. */
const char *var_get(const char *name);
void var_set(const char *name, const char *value, bool export);
void var_export(const char *name);
void var_unset(const char *name);
/* True if s is a name: a letter or '_', then letters, digits, '_'. */
bool var_is_name(const char *s, size_t len);
/* A NULL-ended "NAME=value" array of the exported variables (malloc'd). */
char **vars_environ(void);
void vars_free_environ(char **env);
/* Prints the exported variables as "export NAME='value'". */
void vars_print_exported(void);

/* $0, $1..., $# and $@ of a script. */
void vars_set_args(int argc, char **argv);
/* The positional parameters as set ($0 first), for saving them. */
char **vars_args(void);
/* The positional parameter n ($0...), or NULL. */
const char *vars_arg(int n);
/* $#: the count of parameters after $0. */
int vars_arg_count(void);

/* ---- expand.c: words to fields ---- */

/*
 * Expands one raw word: $NAME, ${NAME}, $?, $$, $#, $0-$9, $@, quotes and
 * backslashes, field splitting of unquoted expansions, and globbing of
 * unquoted * ? [. Appends the fields to *argv (growing it, NULL-ended).
 */
void expand_word(const char *raw, char ***argv, int *argc);
/* Expands a word that must stay one field (a redirection's file name). */
char *expand_one(const char *raw);
/* Expands every word of a list into a new NULL-ended argv. */
char **expand_words(char **words, int nwords, int *argc);
void argv_free(char **argv);

/* ---- arith.c ---- */

/* The value of an arithmetic expression; 0 after reporting a bad one. */
long arith_eval(const char *expr);

/* ---- subst.c: $(...) ---- */
/* Runs text in a child shell and returns its output without the trailing
 * newlines (malloc'd), leaving its status in $?; NULL on failure, with
 * the error reported. */
char *subst_run(const char *text);

/* ---- exec.c: running the tree ---- */

struct shell {
    bool interactive; /* a terminal: job control, line editing */
    int last_status;  /* $? */
    pid_t pgid;       /* the shell's own process group */
    bool exiting;     /* the exit builtin ran */
    int exit_status;
    bool interrupted;   /* a foreground job ended by ctrl-c: stop the line */
    bool expand_failed; /* an expansion reported an error ($((1/0))) */
    unsigned substs;    /* $(...) run so far: x=$(false) takes its status */
};

extern struct shell sh;

/* Runs a tree and returns its status (also left in sh.last_status). */
int exec_node(struct node *n);
/* Parses and runs a whole text (a script, a -c string). */
int exec_text(const char *text);
/* Puts the terminal's foreground group to pgid (interactive only). */
void exec_give_terminal(pid_t pgid);
/* A wait status as a shell status: the code, or 128 + signal. */
int exec_status(int wstatus);

/* ---- builtins.c ---- */

/* True if name is a builtin. */
bool builtin_is(const char *name);
/* Runs a builtin in the shell itself; returns its status. */
int builtin_run(int argc, char **argv);
/* The name of builtin i, NULL past the last (tab completion, help). */
const char *builtin_name(int i);

/* test.c: the test and [ builtins. 0 true, 1 false, 2 a malformed test. */
int test_run(int argc, char **argv);

/* ---- jobs.c: background pipelines ---- */

/*
 * Records a started pipeline as a job: its processes, its group and the
 * text it was typed as. Returns the job number.
 */
int jobs_add(pid_t pgid, const pid_t *pids, int npids, const char *text);
/*
 * Waits until every process of the foreground pipeline pids has ended,
 * noting any background process that ends meanwhile. Returns the status
 * of the last one.
 */
int jobs_wait_pids(const pid_t *pids, int npids);
/* Reaps ended background processes and prints "[n]+  Done  text". */
void jobs_notify(void);
/* The jobs builtin. */
int jobs_list(void);
/* The fg builtin: waits for job n (0: the latest) in the foreground. */
int jobs_fg(int n);

/* ---- edit.c, history.c, complete.c: the terminal ---- */

/* Reads one line with editing; NULL at end of input (ctrl-d). */
char *edit_read_line(const char *prompt);

void history_load(void);
void history_add(const char *line);
int history_count(void);
const char *history_get(int i);
int history_print(void);

/*
 * Completes the word that ends at pos in line (cap bytes). Returns the
 * new cursor position; the line may grow. When several names match and
 * nothing can be added, prints them on the lines below (the caller then
 * redraws its line).
 */
size_t complete(char *line, size_t cap, size_t pos);

/* ---- errors ---- */

/* Prints "sh: <message>" and a newline on stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
