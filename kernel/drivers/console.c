/*
 * The framebuffer text console: cell grid, ANSI parser and renderer.
 *
 * Three parts, in the order a byte meets them. The parser (put_byte) is a
 * small state machine: plain text, after ESC, inside a CSI sequence with up
 * to CON_MAX_PARAMS numbers. Text and escapes change the cell grid and mark
 * rows dirty. The renderer (flush) draws each dirty row into a one-row pixel
 * buffer and copies it to the framebuffer with fb_blit(), so each changed
 * scan line is written to video memory once and nothing is read back.
 *
 * The font is a PSF font taken from Debian's console-setup-linux package at
 * build time and embedded by kernel/drivers/font.S.
 *
 * Locking: each write runs with interrupts off, so one call's bytes (a
 * whole log line, a chunk of a program's output, an escape sequence) are
 * never split by another task's or an interrupt's write; Ember has one CPU.
 * Context: task or interrupt.
 * See: docs/boot.md
 */
#include "drivers/console.h"

#include "arch/x86_64/irq.h"
#include "drivers/fb.h"
#include "drivers/psf.h"
#include "lib/log.h"
#include "lib/portable.h"

#include <stdint.h>

#define CON_MAX_COLS   256
#define CON_MAX_ROWS   128
#define CON_MAX_PARAMS 8
#define CON_ROW_PIXELS (4096 * 32) /* one text row: width x glyph height */
#define CON_TAB        8
#define CON_DEFAULT_FG 7
#define CON_DEFAULT_BG 0

/* The 16 colours of the VGA text palette, as 0x00RRGGBB. */
static const uint32_t palette[16] = {
    0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa,
    0x00aaaa, 0xaaaaaa, 0x555555, 0xff5555, 0x55ff55, 0xffff55,
    0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

struct cell {
    uint8_t ch;
    uint8_t fg; /* palette index */
    uint8_t bg;
};

enum parse_state { ST_TEXT, ST_ESC, ST_CSI };

extern const uint8_t console_font_start[], console_font_end[];

static struct {
    bool active;
    struct psf_font font;
    unsigned rows, cols;
    unsigned row, col; /* cursor; col == cols means "wrap before next" */
    uint8_t fg, bg;    /* current attributes */
    bool bold, reverse;
    bool cursor_visible;
    bool exclusive; /* a program owns the screen: draw nothing */
    unsigned drawn_cursor_row;
    enum parse_state state;
    bool csi_private; /* ESC[? ... */
    bool lf_only;     /* console_write_raw(): '\n' keeps the column */
    unsigned params[CON_MAX_PARAMS];
    unsigned nparams;
    struct cell grid[CON_MAX_ROWS][CON_MAX_COLS];
    bool dirty[CON_MAX_ROWS];
} con;

static uint32_t row_pixels[CON_ROW_PIXELS];

bool console_init(void)
{
    size_t len = (size_t)(console_font_end - console_font_start);

    if (!fb_present() || psf_parse(console_font_start, len, &con.font) < 0)
        return false;
    con.cols = fb_width() / con.font.width;
    con.rows = fb_height() / con.font.height;
    if (con.cols > CON_MAX_COLS)
        con.cols = CON_MAX_COLS;
    if (con.rows > CON_MAX_ROWS)
        con.rows = CON_MAX_ROWS;
    if (fb_width() > 4096 || con.font.height > 32)
        return false; /* would not fit row_pixels */
    con.fg = CON_DEFAULT_FG;
    con.bg = CON_DEFAULT_BG;
    con.cursor_visible = true;
    for (unsigned r = 0; r < con.rows; r++) {
        for (unsigned c = 0; c < con.cols; c++)
            con.grid[r][c] = (struct cell){' ', con.fg, con.bg};
    }
    con.active = true;
    console_redraw();
    log_add_sink(console_write); /* the log reaches the screen from now on */
    return true;
}

bool console_active(void)
{
    return con.active;
}

unsigned console_rows(void)
{
    return con.rows;
}

unsigned console_cols(void)
{
    return con.cols;
}

/* ---- the renderer ---- */

static void render_row(unsigned r)
{
    const struct psf_font *f = &con.font;
    uint32_t w = con.cols * f->width;
    unsigned cur_col = con.col < con.cols ? con.col : con.cols - 1;

    for (unsigned c = 0; c < con.cols; c++) {
        const struct cell *cell = &con.grid[r][c];
        uint32_t fg = palette[cell->fg], bg = palette[cell->bg];
        if (con.cursor_visible && r == con.row && c == cur_col) {
            uint32_t t = fg; /* the cursor is the cell in reverse video */
            fg = bg;
            bg = t;
        }
        const uint8_t *g = psf_glyph(f, cell->ch);
        for (uint32_t y = 0; y < f->height; y++) {
            const uint8_t *bits = g + y * f->bytes_per_row;
            uint32_t *out = row_pixels + y * w + c * f->width;
            for (uint32_t x = 0; x < f->width; x++)
                out[x] = (bits[x / 8] & (0x80 >> (x % 8))) ? fg : bg;
        }
    }
    fb_blit(0, r * f->height, w, f->height, row_pixels, w);
}

static void flush(void)
{
    if (con.exclusive)
        return; /* rows stay dirty; console_set_exclusive(false) redraws */
    /* The cursor moved off its old row: that row must lose its cursor. */
    if (con.drawn_cursor_row != con.row)
        con.dirty[con.drawn_cursor_row] = true;
    con.dirty[con.row] = true;
    for (unsigned r = 0; r < con.rows; r++) {
        if (con.dirty[r]) {
            render_row(r);
            con.dirty[r] = false;
        }
    }
    con.drawn_cursor_row = con.row;
}

void console_set_exclusive(bool on)
{
    con.exclusive = on;
    if (!on)
        console_redraw();
}

void console_redraw(void)
{
    if (!con.active)
        return;
    uint64_t flags = irq_save();
    for (unsigned r = 0; r < con.rows; r++)
        con.dirty[r] = true;
    flush();
    irq_restore(flags);
}

/* ---- the cell grid ---- */

static struct cell blank(void)
{
    return (struct cell){' ', con.fg, con.bg};
}

static void clear_cells(unsigned r, unsigned c0, unsigned c1)
{
    for (unsigned c = c0; c < c1; c++)
        con.grid[r][c] = blank();
    con.dirty[r] = true;
}

static void scroll_up(void)
{
    memmove(&con.grid[0], &con.grid[1], sizeof con.grid[0] * (con.rows - 1));
    clear_cells(con.rows - 1, 0, con.cols);
    for (unsigned r = 0; r < con.rows; r++)
        con.dirty[r] = true;
}

static void newline(void)
{
    con.col = 0;
    if (con.row + 1 < con.rows)
        con.row++;
    else
        scroll_up();
}

static void put_char(uint8_t ch)
{
    if (con.col >= con.cols)
        newline();
    uint8_t fg = con.fg, bg = con.bg;
    if (con.bold && fg < 8)
        fg += 8;
    if (con.reverse) {
        uint8_t t = fg;
        fg = bg;
        bg = t;
    }
    con.grid[con.row][con.col] = (struct cell){ch, fg, bg};
    con.dirty[con.row] = true;
    con.col++;
}

/* ---- the escape parser ---- */

static unsigned param(unsigned i, unsigned dflt)
{
    return i < con.nparams && con.params[i] ? con.params[i] : dflt;
}

static void sgr(void)
{
    if (con.nparams == 0)
        con.nparams = 1, con.params[0] = 0;
    for (unsigned i = 0; i < con.nparams; i++) {
        unsigned p = con.params[i];
        if (p == 0) {
            con.fg = CON_DEFAULT_FG;
            con.bg = CON_DEFAULT_BG;
            con.bold = con.reverse = false;
        } else if (p == 1) {
            con.bold = true;
        } else if (p == 22) {
            con.bold = false;
        } else if (p == 7) {
            con.reverse = true;
        } else if (p == 27) {
            con.reverse = false;
        } else if (p >= 30 && p <= 37) {
            con.fg = (uint8_t)(p - 30);
        } else if (p == 39) {
            con.fg = CON_DEFAULT_FG;
        } else if (p >= 40 && p <= 47) {
            con.bg = (uint8_t)(p - 40);
        } else if (p == 49) {
            con.bg = CON_DEFAULT_BG;
        } else if (p >= 90 && p <= 97) {
            con.fg = (uint8_t)(p - 90 + 8);
        } else if (p >= 100 && p <= 107) {
            con.bg = (uint8_t)(p - 100 + 8);
        }
    }
}

static void erase_display(unsigned mode)
{
    unsigned col = con.col < con.cols ? con.col : con.cols;
    if (mode == 0) { /* cursor to end */
        clear_cells(con.row, col, con.cols);
        for (unsigned r = con.row + 1; r < con.rows; r++)
            clear_cells(r, 0, con.cols);
    } else if (mode == 1) { /* start to cursor */
        for (unsigned r = 0; r < con.row; r++)
            clear_cells(r, 0, con.cols);
        clear_cells(con.row, 0, col < con.cols ? col + 1 : con.cols);
    } else { /* 2 and 3: everything; the cursor stays */
        for (unsigned r = 0; r < con.rows; r++)
            clear_cells(r, 0, con.cols);
    }
}

static void erase_line(unsigned mode)
{
    unsigned col = con.col < con.cols ? con.col : con.cols - 1;
    if (mode == 0)
        clear_cells(con.row, col, con.cols);
    else if (mode == 1)
        clear_cells(con.row, 0, col + 1);
    else
        clear_cells(con.row, 0, con.cols);
}

static unsigned clamp(unsigned v, unsigned lo, unsigned hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void csi_final(char c)
{
    unsigned n = param(0, 1);
    unsigned col = con.col < con.cols ? con.col : con.cols - 1;

    switch (c) {
    case 'H':
    case 'f':
        con.row = clamp(param(0, 1), 1, con.rows) - 1;
        con.col = clamp(param(1, 1), 1, con.cols) - 1;
        break;
    case 'A':
        con.row = con.row >= n ? con.row - n : 0;
        break;
    case 'B':
        con.row = clamp(con.row + n, 0, con.rows - 1);
        break;
    case 'C':
        con.col = clamp(col + n, 0, con.cols - 1);
        break;
    case 'D':
        con.col = col >= n ? col - n : 0;
        break;
    case 'J':
        erase_display(con.nparams ? con.params[0] : 0);
        break;
    case 'K':
        erase_line(con.nparams ? con.params[0] : 0);
        break;
    case 'm':
        sgr();
        break;
    case 'h':
    case 'l':
        if (con.csi_private && param(0, 0) == 25)
            con.cursor_visible = (c == 'h');
        break;
    default:
        break; /* unknown sequences are swallowed whole */
    }
}

static void put_byte(uint8_t b)
{
    switch (con.state) {
    case ST_TEXT:
        if (b == 0x1b) {
            con.state = ST_ESC;
        } else if (b == '\n') {
            unsigned col = con.col;
            newline();
            if (con.lf_only)
                con.col = col;
        } else if (b == '\r') {
            con.col = 0;
        } else if (b == '\b') {
            if (con.col > 0)
                con.col = (con.col >= con.cols ? con.cols : con.col) - 1;
        } else if (b == '\t') {
            unsigned next = (con.col / CON_TAB + 1) * CON_TAB;
            while (con.col < next && con.col < con.cols)
                put_char(' ');
        } else if (b >= 0x20) {
            put_char(b);
        }
        break;
    case ST_ESC:
        if (b == '[') {
            con.state = ST_CSI;
            con.nparams = 0;
            con.csi_private = false;
            memset(con.params, 0, sizeof con.params);
        } else {
            con.state = ST_TEXT;
        }
        break;
    case ST_CSI:
        if (b == '?') {
            con.csi_private = true;
        } else if (b >= '0' && b <= '9') {
            if (con.nparams == 0)
                con.nparams = 1;
            unsigned *p = &con.params[con.nparams - 1];
            if (*p < 10000)
                *p = *p * 10 + (b - '0');
        } else if (b == ';') {
            if (con.nparams == 0)
                con.nparams = 1;
            if (con.nparams < CON_MAX_PARAMS)
                con.nparams++;
        } else if (b >= 0x40 && b <= 0x7e) {
            csi_final((char)b);
            con.state = ST_TEXT;
        }
        break;
    }
}

/* Parses and draws n bytes in one run; lf_only: '\n' moves down only. */
static void write_run(const char *s, size_t n, bool lf_only)
{
    if (!con.active)
        return;
    uint64_t flags = irq_save();
    con.lf_only = lf_only;
    for (size_t i = 0; i < n; i++)
        put_byte((uint8_t)s[i]);
    flush();
    con.lf_only = false;
    irq_restore(flags);
}

void console_write(const char *s, size_t n)
{
    write_run(s, n, false);
}

void console_write_raw(const char *s, size_t n)
{
    write_run(s, n, true);
}
