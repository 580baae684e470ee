/*
 * A pager: the input as lines, shown a screen at a time.
 *
 * All input is read first (lines_read_path()), so paging back is as easy
 * as forward. The screen's last row is the prompt; the other rows show
 * lines from `top`, each cut at the terminal's width (a long line is not
 * wrapped, which keeps one line to one row). Keys come from /dev/tty in
 * raw mode through key_read():
 *
 *   space, f, PgDn   a screen on      b, PgUp        a screen back
 *   Enter, j, Down   a line on        k, Up          a line back
 *   g, Home          the start        G, End         the end
 *   q                quit             /text Enter    find text below
 *
 * more quits at the end of the input (and does not page input that fits
 * on one screen), less waits for q, as the originals do; otherwise they
 * are one program.
 *
 * See: docs/userland.md
 */
#include "pager.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "io.h"
#include "key.h"
#include "lines.h"
#include "usage.h"

#define PAGER_ROWS 24 /* when the terminal does not say */
#define PAGER_COLS 80
#define PAGER_FIND 128
#define CTRL_C     3

static struct {
    struct lines text;
    size_t top;
    int rows, cols, tty;
    bool quit_at_end; /* more */
} pg;

static int tty_byte(void *ctx)
{
    (void)ctx;
    unsigned char c;
    return read(pg.tty, &c, 1) == 1 ? c : -1;
}

static size_t page(void)
{
    return (size_t)(pg.rows - 1);
}

static size_t last_top(void)
{
    return pg.text.count > page() ? pg.text.count - page() : 0;
}

static void draw(const char *prog)
{
    printf("\x1b[H\x1b[2J");
    for (size_t i = 0; i < page() && pg.top + i < pg.text.count; i++) {
        const struct line *l = &pg.text.v[pg.top + i];
        size_t n = l->len < (size_t)pg.cols ? l->len : (size_t)pg.cols;
        fwrite(l->text, 1, n, stdout);
        fputs("\r\n", stdout);
    }
    size_t shown = pg.top + page();
    if (shown >= pg.text.count)
        printf("\x1b[7m(END)\x1b[0m");
    else
        printf("\x1b[7m%s %zu%%\x1b[0m", prog,
               shown * 100 / (pg.text.count ? pg.text.count : 1));
    fflush(stdout);
}

/* /text: moves top to the next line below it holding text. */
static void find(void)
{
    char want[PAGER_FIND];
    size_t len = 0;
    printf("\r\x1b[K/");
    fflush(stdout);
    int k;
    while ((k = key_read(tty_byte, NULL)) != '\r' && k != '\n' &&
           k != KEY_EOF && k != CTRL_C) {
        if (k == KEY_BACKSPACE && len > 0)
            len--;
        else if (k >= ' ' && k < KEY_BACKSPACE && len + 1 < sizeof want)
            want[len++] = (char)k;
        printf("\r\x1b[K/%.*s", (int)len, want);
        fflush(stdout);
    }
    want[len] = '\0';
    for (size_t i = pg.top + 1; len && i < pg.text.count; i++) {
        if (strstr(pg.text.v[i].text, want)) {
            pg.top = i < last_top() ? i : last_top();
            return;
        }
    }
}

/* Acts on one key; false to quit. */
static bool on_key(int k)
{
    size_t lt = last_top();
    if (k == 'q' || k == 'Q' || k == KEY_EOF || k == CTRL_C)
        return false;
    if ((k == ' ' || k == 'f' || k == KEY_PGDN) && pg.quit_at_end &&
        pg.top >= lt)
        return false;
    if (k == ' ' || k == 'f' || k == KEY_PGDN)
        pg.top = pg.top + page() < lt ? pg.top + page() : lt;
    else if (k == 'b' || k == KEY_PGUP)
        pg.top = pg.top > page() ? pg.top - page() : 0;
    else if (k == '\r' || k == '\n' || k == 'j' || k == KEY_DOWN)
        pg.top += pg.top < lt;
    else if (k == 'k' || k == KEY_UP)
        pg.top -= pg.top > 0;
    else if (k == 'g' || k == KEY_HOME)
        pg.top = 0;
    else if (k == 'G' || k == KEY_END)
        pg.top = lt;
    else if (k == '/')
        find();
    return true;
}

static int copy_through(void)
{
    struct lines *t = &pg.text;
    for (size_t i = 0; i < t->count; i++) {
        fwrite(t->v[i].text, 1, t->v[i].len, stdout);
        if (i + 1 < t->count || t->last_has_newline)
            putchar('\n');
    }
    return 0;
}

int pager_main(int argc, char **argv, const char *prog)
{
    char usage[64];
    snprintf(usage, sizeof usage, "usage: %s [file...]\n", prog);
    usage_help(argc, argv, usage);
    if (getopt(argc, argv, "") != -1)
        usage_fail(usage, 1);
    int status = 0;
    static char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    for (int i = 0; i < nfiles; i++) {
        int err = lines_read_path(&pg.text, files[i]);
        if (err < 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, files[i], strerror(-err));
            status = 1;
        }
    }
    if (!isatty(STDOUT_FILENO) || (pg.tty = open("/dev/tty", O_RDONLY)) < 0)
        return copy_through() | status;
    struct winsize ws;
    pg.rows = PAGER_ROWS;
    pg.cols = PAGER_COLS;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1) {
        pg.rows = ws.ws_row;
        pg.cols = ws.ws_col;
    }
    pg.quit_at_end = strcmp(prog, "more") == 0;
    if (pg.quit_at_end && pg.text.count <= page()) { /* fits: just print */
        close(pg.tty);
        return copy_through() | status;
    }
    struct termios cooked, raw;
    tcgetattr(pg.tty, &cooked);
    raw = cooked;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
    raw.c_iflag &= ~(tcflag_t)ICRNL;
    tcsetattr(pg.tty, TCSADRAIN, &raw);
    do
        draw(prog);
    while (on_key(key_read(tty_byte, NULL)));
    printf("\r\x1b[K");
    fflush(stdout);
    tcsetattr(pg.tty, TCSADRAIN, &cooked);
    return status;
}
