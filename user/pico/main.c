/*
 * pico: a small editor in the style of nano. Usage: pico [file]
 *
 * main() loads the file (a name that does not exist yet starts an empty
 * buffer which the first save creates), puts the terminal in raw mode and
 * runs the key loop: each key becomes one command (commands.c), and the
 * screen is refreshed only when no further typed bytes are waiting, so a
 * burst of keys is drawn once. ctrl-x leaves, asking first whether to save
 * a modified buffer; the terminal is put back. pico draws on the alternate
 * screen (xterm's ESC[?1049h, which Ember's console keeps too), so leaving
 * it shows the shell's lines as they were.
 *
 * Read pico.h first, then this file, commands.c and screen.c.
 * See: docs/userland.md
 */
#include "pico.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns true when the editor should exit. */
static bool want_exit(struct editor *e)
{
    if (!e->buf.modified)
        return true;
    switch (prompt_ync(e, "Save modified buffer? (y/n/c)")) {
    case 'y':
        return cmd_save(e);
    case 'n':
        return true;
    default:
        return false;
    }
}

/* Runs one key; returns true when the editor should exit. */
static bool dispatch(struct editor *e, int k, bool after_cut)
{
    switch (k) {
    case CTRL('x'):
        return want_exit(e);
    case KEY_EOF:
        return true;
    case CTRL('s'):
        cmd_save(e);
        break;
    case CTRL('k'):
        cmd_cut(e, after_cut);
        break;
    case CTRL('u'):
        cmd_paste(e);
        break;
    case CTRL('w'):
        cmd_search(e);
        break;
    case CTRL('g'):
        screen_help(e);
        break;
    case CTRL('l'):
        e->dirty_all = true;
        break;
    case KEY_ENTER:
    case '\n':
        cmd_enter(e);
        break;
    case KEY_BACKSPACE:
    case CTRL('h'):
        cmd_backspace(e);
        break;
    case KEY_DELETE:
    case CTRL('d'):
        cmd_delete(e);
        break;
    case KEY_INSERT:
        e->overwrite = !e->overwrite;
        break;
    case '\t':
        cmd_insert_char(e, '\t');
        break;
    default:
        if (k >= KEY_UP && k <= KEY_PGDN)
            cmd_move(e, k);
        else if (k >= ' ' && k < 0x100 && k != KEY_BACKSPACE)
            cmd_insert_char(e, (char)k);
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: pico [file]\n");
        return 2;
    }
    static struct editor e;
    buffer_init(&e.buf);
    if (argc == 2) {
        int err = buffer_load(&e.buf, argv[1]);
        if (err < 0) {
            fprintf(stderr, "pico: %s: %s\n", argv[1], strerror(-err));
            return 1;
        }
    }
    term_size(&e.rows, &e.cols);
    term_raw();
    term_puts("\x1b[?1049h"); /* the alternate screen: the shell's stays */
    e.dirty_all = true;
    bool after_cut = false;
    for (;;) {
        if (!term_pending())
            screen_refresh(&e);
        int k = term_key();
        if (k != KEY_NONE)
            e.msg[0] = '\0';
        if (dispatch(&e, k, after_cut))
            break;
        after_cut = k == CTRL('k');
        if (k < KEY_UP || k > KEY_PGDN) /* an edit: aim up/down from here */
            e.want_col = screen_col(&e.buf.lines[e.cy], e.cx);
        if (e.msg[0])
            screen_refresh(&e); /* a message must not be skipped */
    }
    term_printf("\x1b[H\x1b[2J\x1b[?25h\x1b[?1049l"); /* the shell's back */
    term_restore();
    return 0;
}
