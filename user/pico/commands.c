/*
 * What the keys do to the buffer and the cursor.
 *
 * Each command changes the buffer, moves the cursor (a line index and a
 * byte index in that line) and marks for screen.c what it must draw again:
 * a typed byte dirties one row, Enter and the joins of Backspace and
 * Delete dirty every row from the cursor's down. The cut buffer holds
 * whole lines; ctrl-k pressed several times in a row adds to it, as in
 * nano, and ctrl-u pastes it above the cursor's line and may be repeated.
 *
 * See: docs/userland.md
 */
#define _GNU_SOURCE /* memmem */
#include "pico.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct buffer cut; /* cut.count lines, no name */
static char last_search[128];

static struct line *cur(struct editor *e)
{
    return &e->buf.lines[e->cy];
}

static void changed(struct editor *e)
{
    e->buf.modified = true;
}

void cmd_insert_char(struct editor *e, char c)
{
    struct line *l = cur(e);
    if (e->overwrite && e->cx < l->len)
        l->s[e->cx] = c;
    else
        line_insert(l, e->cx, &c, 1);
    e->cx++;
    screen_dirty_line(e, e->cy);
    changed(e);
}

void cmd_enter(struct editor *e)
{
    struct line *l = cur(e);
    buffer_insert_line(&e->buf, e->cy + 1, l->s + e->cx, l->len - e->cx);
    l = cur(e); /* the array may have moved */
    l->len = e->cx;
    screen_dirty_below(e, e->cy);
    e->cy++;
    e->cx = 0;
    changed(e);
}

/* Appends line at + 1 to line at and removes it. */
static void join(struct editor *e, size_t at)
{
    struct line *next = &e->buf.lines[at + 1];
    line_insert(&e->buf.lines[at], e->buf.lines[at].len, next->s, next->len);
    buffer_delete_line(&e->buf, at + 1);
    screen_dirty_below(e, at);
    changed(e);
}

void cmd_backspace(struct editor *e)
{
    if (e->cx > 0) {
        line_delete(cur(e), --e->cx, 1);
        screen_dirty_line(e, e->cy);
        changed(e);
    } else if (e->cy > 0) {
        e->cy--;
        e->cx = cur(e)->len;
        join(e, e->cy);
    }
}

void cmd_delete(struct editor *e)
{
    if (e->cx < cur(e)->len) {
        line_delete(cur(e), e->cx, 1);
        screen_dirty_line(e, e->cy);
        changed(e);
    } else if (e->cy + 1 < e->buf.count) {
        join(e, e->cy);
    }
}

/* Moves by a page: the view and the cursor go the same way. */
static void page(struct editor *e, bool down)
{
    size_t step = (size_t)screen_text_rows(e) - 1, last = e->buf.count - 1;
    if (down) {
        e->cy = e->cy + step < last ? e->cy + step : last;
        e->top = e->top + step < last ? e->top + step : last;
    } else {
        e->cy = e->cy > step ? e->cy - step : 0;
        e->top = e->top > step ? e->top - step : 0;
    }
    e->dirty_all = true;
}

/* The byte of l drawn at screen column col, or its end if shorter (up
 * and down keep the column the cursor had, as in nano). */
static size_t byte_at_col(const struct line *l, size_t col)
{
    size_t x = 0, at = 0;
    for (; x < l->len; x++) {
        size_t w = screen_cell_width((unsigned char)l->s[x], at);
        if (at + w > col)
            break;
        at += w;
    }
    return x;
}

void cmd_move(struct editor *e, int key)
{
    switch (key) {
    case KEY_UP:
        if (e->cy > 0)
            e->cy--;
        break;
    case KEY_DOWN:
        if (e->cy + 1 < e->buf.count)
            e->cy++;
        break;
    case KEY_LEFT:
        if (e->cx > 0)
            e->cx--;
        else if (e->cy > 0)
            e->cx = e->buf.lines[--e->cy].len;
        break;
    case KEY_RIGHT:
        if (e->cx < cur(e)->len)
            e->cx++;
        else if (e->cy + 1 < e->buf.count) {
            e->cy++;
            e->cx = 0;
        }
        break;
    case KEY_HOME:
        e->cx = 0;
        break;
    case KEY_END:
        e->cx = cur(e)->len;
        break;
    case KEY_PGUP:
        page(e, false);
        break;
    case KEY_PGDN:
        page(e, true);
        break;
    }
    if (key == KEY_UP || key == KEY_DOWN || key == KEY_PGUP || key == KEY_PGDN)
        e->cx = byte_at_col(cur(e), e->want_col);
    else
        e->want_col = screen_col(cur(e), e->cx);
}

void cmd_cut(struct editor *e, bool again)
{
    if (!again) {
        while (cut.count > 0)
            buffer_delete_line(&cut, cut.count - 1);
    }
    struct line *l = cur(e);
    bool last = e->cy + 1 == e->buf.count;
    if (last && l->len == 0)
        return; /* nothing after the final newline to cut */
    buffer_insert_line(&cut, cut.count, l->s, l->len);
    if (last)
        l->len = 0; /* the last line is emptied, not removed */
    else
        buffer_delete_line(&e->buf, e->cy);
    e->cx = 0;
    screen_dirty_below(e, e->cy);
    changed(e);
}

void cmd_paste(struct editor *e)
{
    if (cut.count == 0)
        return;
    screen_dirty_below(e, e->cy);
    for (size_t i = 0; i < cut.count; i++)
        buffer_insert_line(&e->buf, e->cy++, cut.lines[i].s, cut.lines[i].len);
    e->cx = 0;
    changed(e);
}

/* Looks for what in line i from byte from on; returns its index or -1. */
static long find_in(struct editor *e, size_t i, size_t from, const char *what)
{
    struct line *l = &e->buf.lines[i];
    if (from > l->len)
        return -1;
    char *p = memmem(l->s + from, l->len - from, what, strlen(what));
    return p ? p - l->s : -1;
}

void cmd_search(struct editor *e)
{
    char question[sizeof(last_search) + 16], what[sizeof(last_search)];
    snprintf(question, sizeof(question),
             last_search[0] ? "Search [%s]:" : "Search:%s", last_search);
    if (!prompt_line(e, question, what, sizeof(what)))
        return;
    if (what[0])
        snprintf(last_search, sizeof(last_search), "%s", what);
    if (!last_search[0])
        return;
    /* From just after the cursor to the end, then from the top round to
     * the cursor's line again. */
    size_t n = e->buf.count;
    for (size_t k = 0; k <= n; k++) {
        size_t i = (e->cy + k) % n;
        size_t from = k == 0 ? e->cx + 1 : 0;
        long at = find_in(e, i, from, last_search);
        if (at >= 0) {
            screen_message(e, e->cy + k >= n ? "Search Wrapped" : "");
            e->cy = i;
            e->cx = (size_t)at;
            return;
        }
    }
    snprintf(e->msg, sizeof(e->msg), "\"%s\" not found", last_search);
}

bool cmd_save(struct editor *e)
{
    if (!e->buf.name[0]) {
        char name[PICO_NAME_MAX];
        if (!prompt_line(e, "File Name to Write:", name, sizeof(name)) ||
            !name[0])
            return false;
        snprintf(e->buf.name, sizeof(e->buf.name), "%s", name);
    }
    int err = buffer_save(&e->buf);
    if (err < 0) {
        snprintf(e->msg, sizeof(e->msg), "Error writing %.100s: %s",
                 e->buf.name, strerror(-err));
        return false;
    }
    /* the lines of the file: a trailing newline leaves an empty last
     * line in the buffer, which is no line of the file */
    size_t lines = e->buf.count;
    if (lines > 0 && e->buf.lines[lines - 1].len == 0)
        lines--;
    snprintf(e->msg, sizeof(e->msg), "Wrote %zu line%s", lines,
             lines == 1 ? "" : "s");
    return true;
}
