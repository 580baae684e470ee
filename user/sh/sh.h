/*
 * Ember's shell: what its files share.
 *
 * A command line goes through four stages, one file each: lex.c cuts the
 * text into tokens (words keep their quotes) as the parser asks for them,
 * parse.c builds a tree of nodes one complete command at a time, expand.c
 * turns each word into fields (parameters, $(...) and $((...)), splitting,
 * globs, quotes), and exec.c runs the tree (functions, builtins, fork,
 * redirections, execve, wait). jobs.c keeps the pipelines that run in the
 * background, vars.c the variables, builtins.c, flow.c and read.c the
 * commands the shell runs itself. On a terminal, edit.c reads the line in
 * raw mode, with history.c and complete.c.
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
#define SH_STATUS_REDIR     2   /* a redirection failed, as in dash */

/* ---- lex.c: tokens ---- */

enum tok_kind {
    TOK_WORD,    /* text with its quotes, for expand.c */
    TOK_NEWLINE, /* a command separator, like ';' */
    TOK_SEMI,    /* ; */
    TOK_DSEMI,   /* ;; ends a case item */
    TOK_AMP,     /* & */
    TOK_AND,     /* && */
    TOK_OR,      /* || */
    TOK_PIPE,    /* | */
    TOK_LPAREN,  /* ( */
    TOK_RPAREN,  /* ) */
    TOK_REDIR,   /* < > >> >| <> <& >& << <<-, with an optional N before */
    TOK_END,     /* end of the text */
};

enum redir_kind {
    REDIR_IN,      /* <  */
    REDIR_OUT,     /* >  and >| */
    REDIR_APPEND,  /* >> */
    REDIR_RW,      /* <> */
    REDIR_DUP,     /* <& and >&: the word names a descriptor, or - */
    REDIR_HEREDOC, /* << and <<-: the word is the body, once read */
};

struct token {
    enum tok_kind kind;
    char *text; /* TOK_WORD: the raw word; others: the operator as typed */
    enum redir_kind redir; /* TOK_REDIR */
    int fd;                /* TOK_REDIR: the descriptor redirected */
    bool strip_tabs;       /* TOK_REDIR of <<-: leading tabs go */
    size_t start, end;     /* where it lies in the source, for job lines */
};

struct redir;

/*
 * The lexer reads its text on demand, one token per call, so that the
 * body of a here-document can be taken from the lines after the command
 * that asks for it: lex_heredoc() queues a redirection, and the next
 * newline token reads its body.
 */
struct lexer {
    const char *src;
    size_t pos;
    bool eof_ok; /* the text is all there is: a here-document may end it */
    bool incomplete;
    struct redir *pending[8]; /* here-documents waiting for their bodies */
    int npending;
};

enum lex_result { LEX_OK, LEX_INCOMPLETE, LEX_ERROR };

/* The next token into *t (t->text malloc'd). LEX_INCOMPLETE when a quote,
 * a $( or a here-document is still open at the end of the text. */
enum lex_result lex_next(struct lexer *lx, struct token *t);
/*
 * At a quote or construct starting at s[i] (' " ` $( $(( ${), the index
 * just after it; i + 1 for any other character. *open (never cleared)
 * when the text ends inside it.
 */
size_t lex_skip(const char *s, size_t i, bool *open);
/* Asks for r's body (r->word holds the delimiter as typed) after the next
 * newline. False when too many are waiting. */
bool lex_heredoc(struct lexer *lx, struct redir *r);

/* ---- parse.c: the tree ---- */

struct redir {
    enum redir_kind kind;
    int fd;          /* the descriptor it changes */
    char *word;      /* the file name or descriptor; a here-doc's body */
    bool quoted;     /* REDIR_HEREDOC: the delimiter was quoted */
    bool strip_tabs; /* REDIR_HEREDOC: <<- */
    struct redir *next;
};

enum node_kind {
    N_CMD,      /* words and redirections */
    N_PIPE,     /* left | right */
    N_AND,      /* left && right */
    N_OR,       /* left || right */
    N_SEQ,      /* left ; right */
    N_BG,       /* left & */
    N_NOT,      /* ! left */
    N_IF,       /* if left then right else other fi */
    N_WHILE,    /* while left do right done */
    N_UNTIL,    /* until left do right done */
    N_FOR,      /* for var in words do right done */
    N_CASE,     /* case var in items esac */
    N_SUBSHELL, /* ( left ) */
    N_GROUP,    /* { left; } */
    N_FUNC,     /* var() left */
};

struct case_item {
    char **pats; /* the patterns, raw */
    int npats;
    struct node *body; /* may be NULL */
    struct case_item *next;
};

struct node {
    enum node_kind kind;
    struct node *left, *right, *other;
    char **words; /* N_CMD: the words; N_FOR: the list after "in" */
    int nwords;
    struct redir *redirs;    /* N_CMD and the compound commands */
    char *var;               /* N_FOR, N_FUNC: a name; N_CASE: the word */
    char *text;              /* N_BG and pipelines: the source, for job lines */
    struct case_item *items; /* N_CASE */
    int refs;                /* N_FUNC bodies: held by the function table too */
};

enum parse_result { PARSE_OK, PARSE_EMPTY, PARSE_INCOMPLETE, PARSE_ERROR };

struct parser;

/* A parser over src (kept, not copied). eof_ok: the text is complete, as
 * a script is, so a here-document may end at its end. */
struct parser *parser_new(const char *src, bool eof_ok);
void parser_free(struct parser *p);
/*
 * The next complete command (a line's and-or lists). PARSE_EMPTY at the
 * end of the text; PARSE_INCOMPLETE when the text stops inside a
 * construct; PARSE_ERROR after printing "sh: syntax error: ...".
 */
enum parse_result parser_next(struct parser *p, struct node **out);
/*
 * Parses a whole text into one tree. PARSE_EMPTY for blank text or
 * comments; PARSE_INCOMPLETE when the text stops inside a construct (an
 * open quote, "if" with no "fi", a trailing "|", a here-document's body).
 */
enum parse_result parse(const char *src, struct node **out);
void node_free(struct node *n);

/* ---- vars.c: variables ---- */

void vars_init(char **environ);
/* The value of name, or NULL when it is unset. */
const char *var_get(const char *name);
/* Sets name (value NULL: only marks it). False, with an error printed,
 * when name is read-only. */
bool var_set(const char *name, const char *value, bool export);
void var_export(const char *name);
/* False, with an error printed, when name is read-only. */
bool var_unset(const char *name);
void var_readonly(const char *name);
/* True if s is a name: a letter or '_', then letters, digits, '_'. */
bool var_is_name(const char *s, size_t len);
/* A NULL-ended "NAME=value" array of the exported variables (malloc'd). */
char **vars_environ(void);
void vars_free_environ(char **env);
/* Prints the exported (or read-only, or all) variables, quoted so that
 * the shell can read them back. */
void vars_print(char which);
/* local: name's value is put back when the innermost frame pops. */
void vars_local(const char *name);
/* A function's frame of local variables: push returns a mark for pop. */
int vars_frame_push(void);
void vars_frame_pop(int mark);

/* $0, $1..., $# and $@ (argv is kept, not copied). */
void vars_set_args(int argc, char **argv);
/* The positional parameters as set ($0 first), for saving them. */
char **vars_args(void);
/* The positional parameter n ($0...), or NULL. */
const char *vars_arg(int n);
/* $#: the count of parameters after $0. */
int vars_arg_count(void);

/* ---- expand.c: words to fields ---- */

/*
 * Expands one raw word (see expand.c) and appends its fields to *argv
 * (growing it, NULL-ended; *argv may be NULL).
 */
void expand_word(const char *raw, char ***argv, int *argc);
/* Expands a word that must stay one field (an assignment, a file name). */
char *expand_one(const char *raw);
/* A case or ${x%...} pattern: quoted characters escaped with '\'. */
char *expand_pattern(const char *raw);
/* The body of an unquoted here-document: $, ` and \ only. */
char *expand_heredoc(const char *body);
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

/* ---- redir.c: redirections ---- */

#define REDIR_SAVED_FDS 10 /* redirections of descriptors 0-9 are put back */

/*
 * Opens each redirection onto its descriptor, reporting the first that
 * fails (-1). If saved is not NULL (REDIR_SAVED_FDS entries, all -2 from
 * redir_none_saved()), each descriptor's old file is kept there first.
 */
int redir_apply(struct redir *r, int *saved);
/* Puts back what redir_apply() saved (-1: the descriptor was closed). */
void redir_restore(int *saved);
void redir_none_saved(int *saved);

/* ---- exec.c: running the tree ---- */

struct shell {
    bool interactive; /* a terminal: job control, line editing */
    int last_status;  /* $? */
    pid_t pgid;       /* the shell's own process group */
    pid_t pid;        /* $$: the shell's, kept by subshells */
    pid_t last_bg;    /* $!: the last background job's last process */
    bool exiting;     /* exit ran, or set -e or an error ends the shell */
    int exit_status;
    bool interrupted;   /* a foreground job ended by ctrl-c: stop the line */
    bool expand_failed; /* an expansion reported an error ($((1/0))) */
    unsigned substs;    /* $(...) run so far: x=$(false) takes its status */
    /* set -e -u -x -f */
    bool opt_errexit, opt_nounset, opt_xtrace, opt_noglob;
    int cond;        /* > 0: in a condition, where set -e does not act */
    int loops;       /* loops running (break and continue count them) */
    int breaking;    /* break N: loops still to leave */
    int continuing;  /* continue N: loops to leave before one goes on */
    int funcs;       /* function calls running */
    bool returning;  /* return ran: leave the function */
    char *trap_exit; /* the EXIT trap's command, or NULL */
};

extern struct shell sh;

/* Runs a tree and returns its status (also left in sh.last_status). */
int exec_node(struct node *n);
/* Parses and runs a text command by command (a script, -c, eval). */
int exec_text(const char *text);
/* Puts the terminal's foreground group to pgid (interactive only). */
void exec_give_terminal(pid_t pgid);
/* A wait status as a shell status: the code, or 128 + signal. */
int exec_status(int wstatus);
/* Runs argv as a program in a child and waits for it (a builtin's way
 * of handing over to the program of the same name). */
int exec_external(char **argv);
/* Runs the EXIT trap (once), flushes and ends this process. */
void exec_exit(int status) __attribute__((noreturn));
/* True while a break, continue, return or exit is unwinding. */
bool exec_unwinding(void);
/* The function named name, or NULL; define one with body NULL to
 * remove it. */
struct node *func_get(const char *name);
void func_define(const char *name, struct node *body);

/* The letters of the options set ($-). */
const char *sh_options(void);
/* Sets (on) or clears one option letter; false if it is unknown. */
bool sh_set_option(char letter, bool on);

/* ---- builtins.c, flow.c, read.c ---- */

/* True if name is a builtin. */
bool builtin_is(const char *name);
/* True if name is a special builtin (its assignments stay). */
bool builtin_special(const char *name);
/* Runs a builtin in the shell itself; returns its status. */
int builtin_run(int argc, char **argv);
/* The name of builtin i, NULL past the last (tab completion, help). */
const char *builtin_name(int i);

/* test.c: the test and [ builtins. 0 true, 1 false, 2 a malformed test. */
int test_run(int argc, char **argv);
/* flow.c: eval . return break continue exit set shift local; trap.c. */
int flow_eval(int argc, char **argv);
int flow_source(int argc, char **argv);
int flow_return(int argc, char **argv);
int flow_break(int argc, char **argv);
int flow_exit(int argc, char **argv);
int flow_set(int argc, char **argv);
int flow_shift(int argc, char **argv);
int flow_trap(int argc, char **argv);
int flow_local(int argc, char **argv);
int flow_getopts(int argc, char **argv);
int flow_command(int argc, char **argv);
/* trap.c: runs the commands of the traps whose signals came since. */
void trap_run_pending(void);
/* In a new child: trapped signals back to their default; EXIT unset. */
void trap_reset_child(void);
/* read.c: the read builtin. */
int read_run(int argc, char **argv);

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
/*
 * The same for a pipeline the shell started in the foreground (group
 * pgid, typed as text); with job control it may stop instead (ctrl-z):
 * it becomes a stopped job, reported, and the status is 128 + the signal.
 */
int jobs_wait_foreground(pid_t pgid, const pid_t *pids, int npids,
                         const char *text);
/* Reaps ended background processes and prints "[n]+  Done  text". */
void jobs_notify(void);
/* The jobs builtin. */
int jobs_list(void);
/* The fg and bg builtins: job spec ("%1", "1", "%%"; NULL: the current
 * one) continued in the foreground (waited for) or the background. */
int jobs_fg(const char *spec);
int jobs_bg(const char *spec);
/* The terminal modes the shell's own commands run with, kept at start. */
void jobs_save_shell_modes(void);
/* The shell is leaving: stopped jobs get SIGHUP and SIGCONT. */
void jobs_hangup(void);
/* kill %n: a stopped job is continued so the signal acts (bash's way). */
void jobs_continue_stopped(const char *spec);
/* The wait builtin: all jobs, or the job of a pid or a %n. */
int jobs_wait(int argc, char **argv);
/* The processes of job %n (spec "%1", "%%", "%+"): their count, the pids
 * copied to out (up to cap); -1 if there is no such job. */
int jobs_pids(const char *spec, pid_t *out, int cap);

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
