/*
 * The framebuffer text console: a ring of text lines, a UTF-8 and ANSI
 * parser, and a painter that draws lazily.
 *
 * Three parts, in the order a byte meets them. The parser (put_byte) is a
 * small state machine: plain text (UTF-8, decoded here; a bad sequence
 * draws U+FFFD), after ESC, inside a CSI sequence with up to
 * CON_MAX_PARAMS numbers. Text and escapes change the cells of the grid
 * and mark screen rows dirty; nothing is drawn while a write runs.
 *
 * The grid is a ring of lines (struct grid): the screen shows `rows` lines
 * starting at `top`, and a scroll moves `top` one line on and clears the
 * line that comes in, so it costs no copy, and the line that went out
 * stays in the ring as scroll-back (about CON_HISTORY lines; shift+PgUp
 * and shift+PgDn move the view through them, console_view_scroll()). A
 * second grid of exactly one screen is the alternate screen of xterm's
 * ESC[?1049h, which full-screen programs (pico) draw on, so leaving them
 * shows the shell's lines again.
 *
 * The painter draws each dirty row into a one-row pixel buffer and copies
 * it to the framebuffer with fb_blit(), so each changed scan line is
 * written to video memory once and nothing is read back. It runs in its
 * own task, at most once a frame (CON_FRAME_MS), so a burst of output and
 * its scrolls costs one repaint per frame, not one per line: `cat` of
 * 16,000 lines took 91 s when each write repainted. When one paint costs
 * more than a frame's share (1 / CON_PAINT_SHARE), frames are spaced out
 * further, so painting never takes more than about a ninth of the CPU
 * from the writer (`make bench`: 16,000 lines in 0.20 s, 0.19 s over
 * /dev/null; a share of 4 gave 0.32 s). Output that stops is on screen at
 * the next frame. The
 * kernel log's lines, and all output before the scheduler runs, are
 * painted at once, so a panic is seen.
 *
 * The font is a PSF font taken from Debian's console-setup-linux package at
 * build time and embedded by kernel/drivers/font.S; characters are drawn
 * through its Unicode table (kernel/drivers/psf.c).
 *
 * Locking: the grid and the parser are guarded by interrupts off (each
 * write runs whole with interrupts off, so one call's bytes are never
 * split by another task's or an interrupt's write; Ember has one CPU).
 * The painter copies one row at a time under interrupts off and draws it
 * with interrupts on; con.painting keeps a second painter (a log line in
 * an interrupt) out, leaving the rows dirty for the next frame.
 * Context: task or interrupt (writes); task (the painter).
 * See: docs/console.md
 */
#include "drivers/console.h"

#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "drivers/fb.h"
#include "drivers/psf.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "sched/wait.h"

#include <stdint.h>

#define CON_MAX_COLS     256
#define CON_MAX_ROWS     128
#define CON_HISTORY      1024 /* lines of scroll-back, at the widest screen */
#define CON_RING_CELLS   (CON_MAX_COLS * (CON_HISTORY + CON_MAX_ROWS))
#define CON_MAX_PARAMS   8
#define CON_ROW_PIXELS   (4096 * 32) /* one text row: width x glyph height */
#define CON_TAB          8
#define CON_DEFAULT_FG   7
#define CON_DEFAULT_BG   0
#define CON_FRAME_MS     16  /* at most one paint per frame, ~60 a second */
#define CON_PAINT_SHARE  8   /* a frame lasts at least 8 times its paint */
#define CON_FRAME_MAX_MS 100 /* and at most this: see paint() */
#define CON_NS_PER_MS    1000000
#define CON_MODE_CURSOR  25   /* ESC[?25h/l: show or hide the cursor */
#define CON_MODE_ALT     1049 /* ESC[?1049h/l: the alternate screen */
#define CON_MODE_ALT2    1047 /* the same without saving the cursor */
#define CON_MODE_ALT3    47
#define ASCII_ESC        0x1b
#define UTF8_CONT_MASK   0xC0
#define UTF8_CONT        0x80
#define UNICODE_MAX      0x10FFFF
#define SURROGATE_FIRST  0xD800
#define SURROGATE_LAST   0xDFFF

/* The 16 colours of the VGA text palette, as 0x00RRGGBB. */
static const uint32_t palette[16] = {
    0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa,
    0x00aaaa, 0xaaaaaa, 0x555555, 0xff5555, 0x55ff55, 0xffff55,
    0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

struct cell {
    uint16_t glyph; /* index into the font, found when the cell is written */
    uint8_t fg;     /* palette index */
    uint8_t bg;
};

/* A ring of lines of con.cols cells; screen row r is line top + r. */
struct grid {
    struct cell *cells;
    unsigned ring_rows; /* lines in the ring */
    unsigned top;       /* the ring line shown on screen row 0 */
    unsigned history;   /* lines above the screen still kept */
};

enum parse_state { ST_TEXT, ST_ESC, ST_CSI };

extern const uint8_t console_font_start[], console_font_end[];

static struct cell main_cells[CON_RING_CELLS];
static struct cell alt_cells[CON_MAX_ROWS * CON_MAX_COLS];

/* Interrupts off, but for what the painter alone uses (see the top). */
static struct {
    bool active;
    struct psf_font font;
    unsigned rows, cols;
    struct grid main, alt;
    struct grid *g;    /* the grid written: &main or &alt */
    unsigned row, col; /* cursor; col == cols means "wrap before next" */
    unsigned saved_row, saved_col;
    uint8_t fg, bg; /* current attributes */
    bool bold, reverse;
    bool cursor_visible;
    bool exclusive; /* a program owns the screen: draw nothing */
    unsigned view;  /* scroll-back: lines above the bottom shown */
    /* The parser. */
    enum parse_state state;
    bool csi_private; /* ESC[? ... */
    bool lf_only;     /* console_write_raw(): '\n' keeps the column */
    unsigned params[CON_MAX_PARAMS];
    unsigned nparams;
    uint32_t utf8_cp, utf8_min; /* the code point being decoded */
    unsigned utf8_left;         /* continuation bytes still wanted */
    /* The painter. */
    bool dirty[CON_MAX_ROWS];
    bool pending;  /* something changed since the last paint */
    bool painting; /* a paint runs: others leave it the rows */
    bool painter;  /* the painter task runs */
    unsigned drawn_cursor_row;
    uint64_t last_paint_ms, frame_ms;
} con;

static struct wait_queue paint_waiters = WAIT_QUEUE_INIT;

/* The painter's: one row of cells and of pixels (con.painting). */
static struct cell row_cells[CON_MAX_COLS];
static uint32_t row_pixels[CON_ROW_PIXELS] __attribute__((aligned(8)));

static void clear_line(struct cell *l);
static void paint(void);

static void grid_init(struct grid *g, struct cell *cells, unsigned ring_rows)
{
    g->cells = cells;
    g->ring_rows = ring_rows;
    g->top = 0;
    g->history = 0;
}

/*
 * The first paint of the empty screen: when a blank cell draws as nothing
 * but its background (a space glyph without a pixel set), a fill of the
 * framebuffer paints the same thing as drawing every row, in a fraction of
 * the time; only the cursor's row is left to draw.
 */
static void clear_screen(void)
{
    const struct psf_font *f = &con.font;
    const uint8_t *space = psf_glyph_at(f, psf_lookup(f, ' '));
    bool blank = true;

    for (uint32_t i = 0; i < f->height * f->bytes_per_row; i++)
        blank = blank && space[i] == 0;
    if (!blank) {
        console_redraw();
        return;
    }
    fb_fill_rect(0, 0, fb_width(), fb_height(), palette[CON_DEFAULT_BG]);
    con.dirty[con.row] = true;
    paint();
}

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
    con.frame_ms = CON_FRAME_MS;
    grid_init(&con.main, main_cells, CON_RING_CELLS / con.cols);
    grid_init(&con.alt, alt_cells, con.rows);
    con.g = &con.main;
    /* The other lines of the ring are cleared as scrolls bring them in. */
    for (unsigned r = 0; r < con.rows; r++)
        clear_line(main_cells + (size_t)r * con.cols);
    con.active = true;
    clear_screen();
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

/* ---- the grid ---- */

/* The cells of screen row r of grid g, scrolled back by `back` lines. */
static struct cell *grid_line(const struct grid *g, unsigned r, unsigned back)
{
    unsigned i = (g->top + g->ring_rows - back + r) % g->ring_rows;
    return g->cells + (size_t)i * con.cols;
}

static struct cell *line(unsigned r)
{
    return grid_line(con.g, r, 0);
}

static void all_dirty(void)
{
    for (unsigned r = 0; r < con.rows; r++)
        con.dirty[r] = true;
}

/* New output goes to the bottom: the scroll-back view ends. */
static void view_bottom(void)
{
    if (con.view) {
        con.view = 0;
        all_dirty();
    }
}

static struct cell blank(void)
{
    return (struct cell){psf_lookup(&con.font, ' '), con.fg, con.bg};
}

static void clear_line(struct cell *l)
{
    struct cell b = blank();
    for (unsigned c = 0; c < con.cols; c++)
        l[c] = b;
}

static void clear_cells(unsigned r, unsigned c0, unsigned c1)
{
    struct cell *l = line(r);
    struct cell b = blank();
    for (unsigned c = c0; c < c1; c++)
        l[c] = b;
    con.dirty[r] = true;
}

/* One line up: the ring turns, and the top line becomes history. */
static void scroll_up(void)
{
    struct grid *g = con.g;
    g->top = (g->top + 1) % g->ring_rows;
    if (g->history < g->ring_rows - con.rows)
        g->history++;
    clear_cells(con.rows - 1, 0, con.cols);
    all_dirty();
}

static void newline(void)
{
    con.col = 0;
    if (con.row + 1 < con.rows)
        con.row++;
    else
        scroll_up();
}

static void put_char(uint32_t cp)
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
    line(con.row)[con.col] = (struct cell){psf_lookup(&con.font, cp), fg, bg};
    con.dirty[con.row] = true;
    con.col++;
}

/* ESC[?1049h and l: the alternate screen, as xterm keeps it. */
static void alternate_screen(bool on, bool save_cursor)
{
    if (on == (con.g == &con.alt))
        return;
    if (on) {
        if (save_cursor) {
            con.saved_row = con.row;
            con.saved_col = con.col;
        }
        con.g = &con.alt;
        for (unsigned r = 0; r < con.rows; r++)
            clear_cells(r, 0, con.cols);
    } else {
        con.g = &con.main;
        if (save_cursor) {
            con.row = con.saved_row;
            con.col = con.saved_col;
        }
    }
    all_dirty();
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
    } else { /* 2: everything; 3: the scroll-back too; the cursor stays */
        for (unsigned r = 0; r < con.rows; r++)
            clear_cells(r, 0, con.cols);
        if (mode == 3)
            con.g->history = 0;
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

static void set_mode(bool on)
{
    for (unsigned i = 0; i < (con.nparams ? con.nparams : 1); i++) {
        unsigned p = con.params[i];
        if (p == CON_MODE_CURSOR)
            con.cursor_visible = on;
        else if (p == CON_MODE_ALT)
            alternate_screen(on, true);
        else if (p == CON_MODE_ALT2 || p == CON_MODE_ALT3)
            alternate_screen(on, false);
    }
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
        if (con.csi_private)
            set_mode(c == 'h');
        break;
    default:
        break; /* unknown sequences are swallowed whole */
    }
}

/* A byte of UTF-8 at or above 0x80: a lead byte or a continuation. */
static void utf8_byte(uint8_t b)
{
    if (con.utf8_left && (b & UTF8_CONT_MASK) == UTF8_CONT) {
        con.utf8_cp = con.utf8_cp << 6 | (b & ~UTF8_CONT_MASK);
        if (--con.utf8_left)
            return;
        uint32_t cp = con.utf8_cp;
        bool bad = cp < con.utf8_min || cp > UNICODE_MAX ||
                   (cp >= SURROGATE_FIRST && cp <= SURROGATE_LAST);
        put_char(bad ? PSF_REPLACEMENT : cp);
        return;
    }
    if ((b & 0xE0) == 0xC0) {
        con.utf8_left = 1, con.utf8_cp = b & 0x1F, con.utf8_min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        con.utf8_left = 2, con.utf8_cp = b & 0x0F, con.utf8_min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        con.utf8_left = 3, con.utf8_cp = b & 0x07, con.utf8_min = 0x10000;
    } else {
        put_char(PSF_REPLACEMENT); /* a stray continuation or a bad lead */
    }
}

static void text_byte(uint8_t b)
{
    if (con.utf8_left && (b & UTF8_CONT_MASK) != UTF8_CONT) {
        con.utf8_left = 0; /* a sequence cut short: one replacement */
        put_char(PSF_REPLACEMENT);
    }
    if (b >= UTF8_CONT) {
        utf8_byte(b);
    } else if (b == ASCII_ESC) {
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
}

static void put_byte(uint8_t b)
{
    switch (con.state) {
    case ST_TEXT:
        text_byte(b);
        break;
    case ST_ESC:
        con.state = ST_TEXT;
        if (b == '[') {
            con.state = ST_CSI;
            con.nparams = 0;
            con.csi_private = false;
            memset(con.params, 0, sizeof con.params);
        } else if (b == '7') { /* DECSC: save the cursor */
            con.saved_row = con.row;
            con.saved_col = con.col;
        } else if (b == '8') { /* DECRC: restore it */
            con.row = con.saved_row;
            con.col = con.saved_col;
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

/* ---- the painter ---- */

/*
 * The glyph row's pixels two at a time, for 8-pixel-wide fonts (the usual
 * case): each pair of bits picks one of four 64-bit masks between the
 * background and the foreground, so a glyph row is four stores.
 */
static void render_glyph_row8(const uint8_t *bits, uint64_t *out, uint64_t fg2,
                              uint64_t bg2)
{
    static const uint64_t pair_mask[4] = {0, 0xffffffff00000000ull,
                                          0x00000000ffffffffull, ~0ull};
    uint8_t b = *bits;
    uint64_t diff = fg2 ^ bg2;

    out[0] = bg2 ^ (pair_mask[(b >> 6) & 3] & diff);
    out[1] = bg2 ^ (pair_mask[(b >> 4) & 3] & diff);
    out[2] = bg2 ^ (pair_mask[(b >> 2) & 3] & diff);
    out[3] = bg2 ^ (pair_mask[b & 3] & diff);
}

static void render_row(unsigned r, int cursor_col)
{
    const struct psf_font *f = &con.font;
    uint32_t w = con.cols * f->width;
    bool by_pairs = f->width == 8 && f->bytes_per_row == 1;

    for (unsigned c = 0; c < con.cols; c++) {
        const struct cell *cell = &row_cells[c];
        uint32_t fg = palette[cell->fg], bg = palette[cell->bg];
        if ((int)c == cursor_col) {
            uint32_t t = fg; /* the cursor is the cell in reverse video */
            fg = bg;
            bg = t;
        }
        const uint8_t *g = psf_glyph_at(f, cell->glyph);
        uint64_t fg2 = (uint64_t)fg << 32 | fg, bg2 = (uint64_t)bg << 32 | bg;
        for (uint32_t y = 0; y < f->height; y++) {
            const uint8_t *bits = g + y * f->bytes_per_row;
            uint32_t *out = row_pixels + y * w + c * f->width;
            if (by_pairs) {
                render_glyph_row8(bits, (uint64_t *)out, fg2, bg2);
                continue;
            }
            for (uint32_t x = 0; x < f->width; x++)
                out[x] = (bits[x / 8] & (0x80 >> (x % 8))) ? fg : bg;
        }
    }
    fb_blit(0, r * con.font.height, w, con.font.height, row_pixels, w);
}

/*
 * Draws the dirty rows. Any context; returns at once if another paint
 * runs (its rows stay dirty) or a program holds the screen.
 */
static void paint(void)
{
    uint64_t flags = irq_save();
    if (con.exclusive)
        con.pending = false; /* console_set_exclusive(false) redraws */
    if (con.painting || con.exclusive || !con.active) {
        irq_restore(flags);
        return;
    }
    con.painting = true;
    con.pending = false;
    /* The cursor moved off its old row: that row must lose its cursor. */
    if (con.drawn_cursor_row != con.row)
        con.dirty[con.drawn_cursor_row] = true;
    con.dirty[con.row] = true;
    con.drawn_cursor_row = con.row;
    irq_restore(flags);

    uint64_t start_ns = tsc_ns_since_entry();
    for (unsigned r = 0; r < con.rows; r++) {
        flags = irq_save();
        bool draw = con.dirty[r] && !con.exclusive;
        int cursor_col = -1;
        if (draw) {
            con.dirty[r] = false;
            struct grid *g = con.g;
            unsigned back = g == &con.main ? con.view : 0;
            memcpy(row_cells, grid_line(g, r, back),
                   con.cols * sizeof row_cells[0]);
            if (con.cursor_visible && back == 0 && r == con.row)
                cursor_col = (int)(con.col < con.cols ? con.col : con.cols - 1);
        }
        irq_restore(flags);
        if (draw)
            render_row(r, cursor_col);
    }
    uint64_t cost_ms = (tsc_ns_since_entry() - start_ns) / CON_NS_PER_MS;

    flags = irq_save();
    con.painting = false;
    con.last_paint_ms = tsc_ms_since_entry();
    /*
     * The cost is guest time, which runs on while a loaded host deschedules
     * the guest mid-paint; the cap keeps one such paint from leaving the
     * screen seconds behind.
     */
    uint64_t frame = cost_ms * CON_PAINT_SHARE;
    con.frame_ms = frame < CON_FRAME_MS       ? CON_FRAME_MS
                   : frame > CON_FRAME_MAX_MS ? CON_FRAME_MAX_MS
                                              : frame;
    irq_restore(flags);
}

/* Asks for a paint at the next frame; interrupts off. */
static void request_paint(void)
{
    if (!con.pending) {
        con.pending = true;
        wq_wake_all(&paint_waiters);
    }
}

static bool paint_pending(void)
{
    return con.pending;
}

static int painter(void *arg)
{
    (void)arg;
    for (;;) {
        WAIT_EVENT(&paint_waiters, paint_pending());
        uint64_t due = con.last_paint_ms + con.frame_ms;
        uint64_t now = tsc_ms_since_entry();
        if (now < due)
            sched_sleep_ms(due - now);
        paint();
    }
    return 0;
}

void console_start_painter(void)
{
    if (con.active && task_create("console", painter, NULL, true))
        con.painter = true;
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
    all_dirty();
    irq_restore(flags);
    paint();
}

/* ---- scroll-back ---- */

void console_view_scroll(int pages)
{
    if (!con.active)
        return;
    uint64_t flags = irq_save();
    unsigned step = con.rows / 2 ? con.rows / 2 : 1;
    unsigned max = con.g == &con.main ? con.main.history : 0;
    unsigned delta = step * (unsigned)(pages > 0 ? pages : -pages);
    unsigned view = con.view;
    if (pages > 0)
        view = max - view < delta ? max : view + delta;
    else
        view = view > delta ? view - delta : 0;
    if (view != con.view) {
        con.view = view;
        all_dirty();
        request_paint();
    }
    irq_restore(flags);
}

void console_view_reset(void)
{
    if (!con.active)
        return;
    uint64_t flags = irq_save();
    if (con.view) {
        view_bottom();
        request_paint();
    }
    irq_restore(flags);
}

/* ---- writing ---- */

/*
 * Parses n bytes in one run; lf_only: '\n' moves down only. now: paint
 * before returning (the log), else at the painter's next frame.
 */
static void write_run(const char *s, size_t n, bool lf_only, bool now)
{
    if (!con.active)
        return;
    uint64_t flags = irq_save();
    view_bottom();
    con.lf_only = lf_only;
    for (size_t i = 0; i < n; i++)
        put_byte((uint8_t)s[i]);
    con.lf_only = false;
    request_paint();
    irq_restore(flags);
    if (now || !con.painter || !sched_running())
        paint();
}

void console_write(const char *s, size_t n)
{
    write_run(s, n, false, true);
}

void console_write_raw(const char *s, size_t n)
{
    write_run(s, n, true, false);
}
