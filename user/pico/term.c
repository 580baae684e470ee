/*
 * The terminal side of pico: raw mode, keys, and one output buffer.
 *
 * Raw mode turns off ICANON, ECHO, ISIG, IXON and ICRNL, so each key comes
 * as the bytes the terminal sends (xterm's sequences, decoded by key_read()
 * in user/lib/key.c, which the shell's editor shares), and ctrl-s, ctrl-x,
 * ctrl-c arrive as bytes. Reads take whatever is waiting, up to a small buffer;
 * what is left after a key tells the editor more keys are coming, so it
 * can skip drawing in between (a pasted or fast-typed run draws once).
 *
 * Output is collected and written with one write() per refresh, so the
 * console parses one long run instead of many small ones.
 *
 * See: docs/userland.md
 */
#include "pico.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define IN_MAX       256
#define DEFAULT_ROWS 24
#define DEFAULT_COLS 80

static struct termios saved;
static bool raw_on;

static unsigned char in[IN_MAX];
static size_t in_pos, in_len;

static char *out;
static size_t out_len, out_cap;

void term_raw(void)
{
    if (tcgetattr(STDIN_FILENO, &saved) < 0)
        return;
    struct termios t = saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
    raw_on = true;
}

void term_restore(void)
{
    if (!raw_on)
        return;
    term_flush();
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    raw_on = false;
}

void term_size(int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 3 &&
        ws.ws_col > 20) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    } else {
        *rows = DEFAULT_ROWS;
        *cols = DEFAULT_COLS;
    }
}

/* The next typed byte, or -1 at end of input (key_read()'s source). */
static int next_byte(void *ctx)
{
    (void)ctx;
    if (in_pos == in_len) {
        term_flush();
        ssize_t n = read(STDIN_FILENO, in, sizeof(in));
        if (n <= 0)
            return -1;
        in_pos = 0;
        in_len = (size_t)n;
    }
    return in[in_pos++];
}

bool term_pending(void)
{
    return in_pos < in_len;
}

int term_key(void)
{
    return key_read(next_byte, NULL);
}

void term_put(const char *s, size_t n)
{
    if (out_len + n > out_cap) {
        size_t cap = out_cap ? out_cap : 8192;
        while (cap < out_len + n)
            cap *= 2;
        char *p = realloc(out, cap);
        if (!p)
            return; /* drop output rather than die with the terminal raw */
        out = p;
        out_cap = cap;
    }
    memcpy(out + out_len, s, n);
    out_len += n;
}

void term_puts(const char *s)
{
    term_put(s, strlen(s));
}

void term_printf(const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        term_put(tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void term_flush(void)
{
    size_t off = 0;
    while (off < out_len) {
        ssize_t w = write(STDOUT_FILENO, out + off, out_len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    out_len = 0;
}
