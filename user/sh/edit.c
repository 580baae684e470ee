/*
 * The line editor: reads a command line from the terminal, key by key.
 *
 * While a line is typed the terminal is in raw mode (no ICANON, ECHO, ISIG,
 * ICRNL or IXON): every key reaches the shell as the bytes the terminal
 * sends (xterm's: arrows as ESC [ A..D, Home ESC [ H or ESC [ 1 ~, Delete
 * ESC [ 3 ~, decoded by key_read() in user/lib/key.c, which pico shares),
 * and the shell draws the line itself. Output processing stays
 * on, so '\n' still moves to a new line. ctrl-c arrives as a byte (ISIG is
 * off) and abandons the line; ctrl-d on an empty line is the end of input.
 * The terminal's modes are put back before the line is returned, so the
 * programs the line starts see the usual cooked terminal.
 *
 * Drawing is the simplest that works: a key typed (or erased) at the end
 * of the line is echoed as a terminal would; after any other change the
 * whole line is redrawn from the start of the row ("\r", prompt, text, erase to
 * the end of the row) and the cursor moved back left over what follows it. A
 * line longer than the terminal's 128 columns wraps and then redraws badly.
 *
 *   left/right ctrl-b/f  move        home/end ctrl-a/e  start/end
 *   backspace, delete               ctrl-u  erase to the start
 *   ctrl-k  erase to the end        ctrl-w  erase the word before
 *   ctrl-l  clear the screen        tab     complete (complete.c)
 *   up/down history (history.c)     ctrl-c  abandon   ctrl-d  end
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "key.h"

#define EDIT_LINE_MAX 4096
#define OUT_FD        STDERR_FILENO /* prompts go to stderr, as in POSIX */
#define CTRL(c)       ((c)&0x1f)
#define STATUS_CTRL_C (SH_STATUS_SIGNAL + 2) /* as if SIGINT ended it */

struct line {
    char buf[EDIT_LINE_MAX];
    size_t len, pos;
    const char *prompt;
    int hist;     /* the history entry shown; count = the new line */
    char *unsent; /* the new line, kept while history is shown */
};

static void out(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(OUT_FD, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void refresh(struct line *l)
{
    char tail[32];
    out("\r", 1);
    out(l->prompt, strlen(l->prompt));
    out(l->buf, l->len);
    out("\x1b[K", 3);
    if (l->pos < l->len) {
        int n = snprintf(tail, sizeof tail, "\x1b[%zuD", l->len - l->pos);
        out(tail, (size_t)n);
    }
}

/* One byte from the terminal, for key_read(); -1 at the end. */
static int read_byte(void *ctx)
{
    (void)ctx;
    unsigned char c;
    return read(STDIN_FILENO, &c, 1) == 1 ? c : -1;
}

static void insert(struct line *l, char c)
{
    if (l->len + 1 >= EDIT_LINE_MAX)
        return;
    memmove(l->buf + l->pos + 1, l->buf + l->pos, l->len - l->pos);
    l->buf[l->pos++] = c;
    l->buf[++l->len] = '\0';
}

/* Erases the bytes [from, to) of the line. */
static void erase(struct line *l, size_t from, size_t to)
{
    memmove(l->buf + from, l->buf + to, l->len - to);
    l->len -= to - from;
    l->buf[l->len] = '\0';
    l->pos = from;
}

/* Shows history entry i (history_count(): the line being typed). */
static void show_history(struct line *l, int i)
{
    if (i < 0 || i > history_count())
        return;
    if (l->hist == history_count()) {
        free(l->unsent);
        l->unsent = strdup(l->buf);
    }
    l->hist = i;
    const char *s = i == history_count() ? l->unsent : history_get(i);
    snprintf(l->buf, sizeof l->buf, "%s", s ? s : "");
    l->len = l->pos = strlen(l->buf);
}

static void erase_word(struct line *l)
{
    size_t from = l->pos;
    while (from > 0 && l->buf[from - 1] == ' ')
        from--;
    while (from > 0 && l->buf[from - 1] != ' ')
        from--;
    erase(l, from, l->pos);
}

/*
 * Acts on one key. Returns 1 when the line is done, -1 at the end of input,
 * 0 to go on.
 */
static int on_key(struct line *l, int k)
{
    switch (k) {
    case KEY_EOF:
        return -1;
    case '\r':
    case '\n':
        return 1;
    case CTRL('d'):
        if (l->len == 0)
            return -1;
        __attribute__((fallthrough)); /* delete the byte under the cursor */
    case KEY_DELETE:
        if (l->pos < l->len)
            erase(l, l->pos, l->pos + 1);
        break;
    case KEY_BACKSPACE:
    case CTRL('h'):
        if (l->pos > 0 && l->pos == l->len) {
            erase(l, l->pos - 1, l->pos);
            out("\b \b", 3); /* at the end: no need to redraw */
            return 0;
        }
        if (l->pos > 0)
            erase(l, l->pos - 1, l->pos);
        break;
    case CTRL('c'):
        out("^C\n", 3);
        l->len = l->pos = 0;
        l->buf[0] = '\0';
        sh.last_status = STATUS_CTRL_C;
        return 1;
    case KEY_LEFT:
    case CTRL('b'):
        l->pos -= l->pos > 0;
        break;
    case KEY_RIGHT:
    case CTRL('f'):
        l->pos += l->pos < l->len;
        break;
    case KEY_HOME:
    case CTRL('a'):
        l->pos = 0;
        break;
    case KEY_END:
    case CTRL('e'):
        l->pos = l->len;
        break;
    case CTRL('u'):
        erase(l, 0, l->pos);
        break;
    case CTRL('k'):
        erase(l, l->pos, l->len);
        break;
    case CTRL('w'):
        erase_word(l);
        break;
    case CTRL('l'):
        out("\x1b[H\x1b[2J", 7);
        break;
    case KEY_UP:
        show_history(l, l->hist - 1);
        break;
    case KEY_DOWN:
        show_history(l, l->hist + 1);
        break;
    case '\t':
        l->pos = complete(l->buf, sizeof l->buf, l->pos);
        l->len = strlen(l->buf);
        break;
    default:
        if (k < ' ' || k >= KEY_BACKSPACE)
            break;
        insert(l, (char)k);
        if (l->pos == l->len) {
            out(l->buf + l->len - 1, 1); /* typed at the end: echo it */
            return 0;
        }
        break;
    }
    refresh(l);
    return 0;
}

char *edit_read_line(const char *prompt)
{
    struct termios cooked, raw;
    if (tcgetattr(STDIN_FILENO, &cooked) != 0)
        return NULL;
    raw = cooked;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);

    struct line *l = calloc(1, sizeof *l);
    l->prompt = prompt;
    l->hist = history_count();
    refresh(l);
    int r;
    while ((r = on_key(l, key_read(read_byte, NULL))) == 0)
        ;
    out("\n", 1);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &cooked);
    char *text = r > 0 ? strdup(l->buf) : NULL;
    free(l->unsent);
    free(l);
    return text;
}
