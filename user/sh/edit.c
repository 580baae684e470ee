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
 * A line may be longer than the terminal is wide, so it is drawn as rows:
 * the editor knows the width (TIOCGWINSZ; 80 if the terminal does not
 * say) and which row of the line the cursor is on. A key typed at the end
 * of the line is echoed as a terminal would; after any other change the
 * whole line is redrawn: up to its first row, "\r", prompt and text, erase
 * to the end of the screen (so a shorter line leaves no stale rows), then
 * up and right to the cursor. Where the text ends exactly at a row's end,
 * terminals differ (xterm keeps the cursor on the last column until the
 * next character, Ember's console moves on at once), so the editor writes
 * " \r" there, which puts both at the start of the next row.
 *
 * The line is UTF-8: the cursor moves, and backspace and delete erase, by
 * characters (a lead byte and its continuation bytes), and a character
 * takes one column (the console's font and xterm draw the scripts Ember
 * meets one column wide).
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

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "key.h"

#define EDIT_LINE_MAX 4096
#define OUT_FD        STDERR_FILENO /* prompts go to stderr, as in POSIX */
#define CTRL(c)       ((c)&0x1f)
#define STATUS_CTRL_C (SH_STATUS_SIGNAL + 2) /* as if SIGINT ended it */
#define DEFAULT_COLS  80 /* a serial line that does not say its width */
#define UTF8_CONT(c)  (((unsigned char)(c)&0xc0) == 0x80) /* 10xxxxxx */

struct line {
    char buf[EDIT_LINE_MAX];
    size_t len, pos;
    const char *prompt;
    size_t cols;  /* the terminal's width */
    size_t row;   /* the row of the line the cursor is on now */
    size_t rows;  /* the last row the line was drawn on */
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

/* The columns n bytes of UTF-8 take: one per character. */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += !UTF8_CONT(s[i]);
    return w;
}

static void move(char dir, size_t n)
{
    char seq[24];
    if (n > 0)
        out(seq, (size_t)snprintf(seq, sizeof seq, "\x1b[%zu%c", n, dir));
}

static void refresh(struct line *l)
{
    size_t pw = width(l->prompt, strlen(l->prompt));
    size_t end = pw + width(l->buf, l->len);
    size_t at = pw + width(l->buf, l->pos);
    move('A', l->row); /* to the line's first row */
    out("\r", 1);
    out(l->prompt, strlen(l->prompt));
    out(l->buf, l->len);
    bool row_end = end > 0 && end % l->cols == 0;
    if (row_end)
        out(" \r", 2); /* to the next row's start, whatever the terminal */
    /* erase the rest of the row, or of the screen when an older, longer
     * line may have left rows below */
    out(end / l->cols < l->rows ? "\x1b[J" : "\x1b[K", 3);
    l->rows = end / l->cols;
    if (at != end || row_end) {
        move('A', end / l->cols - at / l->cols);
        out("\r", 1);
        move('C', at % l->cols);
    }
    l->row = at / l->cols;
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

/* The byte where the character before pos starts. */
static size_t char_before(const struct line *l, size_t pos)
{
    while (pos > 0 && UTF8_CONT(l->buf[--pos]))
        ;
    return pos;
}

/* The byte after the character at pos. */
static size_t char_after(const struct line *l, size_t pos)
{
    if (pos < l->len)
        pos++;
    while (pos < l->len && UTF8_CONT(l->buf[pos]))
        pos++;
    return pos;
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
        __attribute__((
            fallthrough)); /* delete the character under the cursor */
    case KEY_DELETE:
        if (l->pos < l->len)
            erase(l, l->pos, char_after(l, l->pos));
        break;
    case KEY_BACKSPACE:
    case CTRL('h'):
        if (l->pos > 0)
            erase(l, char_before(l, l->pos), l->pos);
        break;
    case CTRL('c'):
        out("^C\n", 3);
        sh.interrupted = true; /* at "> ": drops the command */
        l->len = l->pos = 0;
        l->buf[0] = '\0';
        sh.last_status = STATUS_CTRL_C;
        return 1;
    case KEY_LEFT:
    case CTRL('b'):
        l->pos = char_before(l, l->pos);
        break;
    case KEY_RIGHT:
    case CTRL('f'):
        l->pos = char_after(l, l->pos);
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
        l->row = 0;
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
        if (k < ' ' || k == KEY_BACKSPACE || k > UCHAR_MAX)
            break; /* bytes 0x80-0xff are UTF-8, and kept */
        insert(l, (char)k);
        size_t end =
            width(l->prompt, strlen(l->prompt)) + width(l->buf, l->len);
        if (l->pos == l->len && end % l->cols != 0) {
            out(l->buf + l->len - 1, 1); /* typed at the end: echo it */
            l->row = l->rows = end / l->cols;
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
    struct winsize ws;
    l->cols = ioctl(OUT_FD, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0
                  ? ws.ws_col
                  : DEFAULT_COLS;
    l->hist = history_count();
    refresh(l);
    int r;
    while ((r = on_key(l, key_read(read_byte, NULL))) == 0)
        ;
    if (l->pos != l->len) { /* the output goes below the whole line */
        l->pos = l->len;
        refresh(l);
    }
    out("\n", 1);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &cooked);
    char *text = r > 0 ? strdup(l->buf) : NULL;
    free(l->unsent);
    free(l);
    return text;
}
