/*
 * Questions asked on the message row: a line of text, or yes/no/cancel.
 *
 * Both draw on the bottom row only and leave the text alone, then mark the
 * message row for redrawing. A line prompt takes printable bytes and
 * Backspace; Enter accepts it and ctrl-c cancels it.
 *
 * See: docs/userland.md
 */
#include "pico.h"

#include <string.h>

static void draw(struct editor *e, const char *question, const char *text)
{
    screen_message_row_used();
    term_printf("\x1b[%d;1H\x1b[7m%s\x1b[0m %s\x1b[K", e->rows, question, text);
    term_flush();
}

bool prompt_line(struct editor *e, const char *question, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (;;) {
        draw(e, question, out);
        int k = term_key();
        if (k == KEY_ENTER || k == '\n')
            break;
        if (k == CTRL('c') || k == KEY_EOF) {
            screen_message(e, "Cancelled");
            return false;
        }
        if ((k == KEY_BACKSPACE || k == CTRL('h')) && len > 0)
            out[--len] = '\0';
        else if (k >= ' ' && k < KEY_BACKSPACE && len + 1 < size) {
            out[len++] = (char)k;
            out[len] = '\0';
        }
    }
    e->msg[0] = '\0';
    return true;
}

int prompt_ync(struct editor *e, const char *question)
{
    for (;;) {
        draw(e, question, "");
        int k = term_key();
        if (k == 'y' || k == 'Y')
            return 'y';
        if (k == 'n' || k == 'N')
            return 'n';
        if (k == 'c' || k == 'C' || k == CTRL('c') || k == KEY_EOF) {
            screen_message(e, "Cancelled");
            return 'c';
        }
    }
}
