/*
 * The console as a terminal: input processing, line editing, echo, job
 * control and output processing, as Linux's N_TTY line discipline does
 * them for the subset programs use.
 *
 * Input. Every byte typed (keyboard or COM1, already in xterm's encoding:
 * Enter '\r', Backspace DEL) reaches tty_receive(), in the "tty" thread.
 * c_iflag turns '\r' into '\n' (ICRNL) and handles ^S/^Q (IXON); with ISIG,
 * ^C, ^\ and ^Z send SIGINT, SIGQUIT and SIGTSTP to the foreground group
 * and flush the input. With ICANON the byte edits the current line (VERASE,
 * VKILL, VWERASE) until '\n', VEOL or VEOF completes it; each completed
 * line is one record in the input ring, and a read returns at most one
 * record (a record of length 0, ^D on an empty line, reads as end of
 * file). Without ICANON bytes go to the ring at once and reads follow
 * VMIN/VTIME. ECHO, ECHOE, ECHOK, ECHOKE, ECHONL and ECHOCTL shape the echo.
 *
 * Output. OPOST with ONLCR turns '\n' into "\r\n" (OCRNL '\r' into '\n'),
 * and the result goes to the screen raw (console_write_raw()), so with
 * OPOST off a '\n' is a pure line feed, as editors expect. When there is
 * a screen, output goes to it alone unless the option tty=serial asks for
 * a copy on COM1 (serial_write_raw()): QEMU's UART takes several
 * microseconds a byte, so the copy is what bounds a long `cat` (16,000
 * lines: 8.2 s with it, 0.2 s without, docs/console.md). COM1 still reads
 * keys and carries the log; with no screen it is the terminal's output.
 * The tests and `make run-headless`, which read COM1, pass tty=serial.
 *
 * Job control, as Linux's tty_check_change(). A process whose group is not
 * the foreground group stops its group with SIGTTIN when it reads, and
 * with SIGTTOU when it writes under TOSTOP, changes the termios, flushes
 * or sets the foreground group; the call returns -EINTR, which the signal
 * layer turns into a restart once the group is continued. Ignoring or
 * blocking the signal gives -EIO for a read and lets the rest go ahead; an
 * orphaned group gets -EIO. Kernel threads (no process) always count as
 * foreground. Job control makes the terminal and the process table know
 * each other
 * (kernel/proc/procinfo.h is all it asks), the one pair across floors that
 * calls both ways; tools/check-layers lists it.
 *
 * Exclusive screen. While a program holds the screen the terminal is
 * paused: it drops every byte but its signal keys, so ^C on the serial
 * line still ends the game. The input thread also takes the escape
 * combination (INPUT_ESCAPE) and calls the handler kernel/proc/screen.c
 * registered, which ends the holder.
 *
 * Locking: the input state (ring, records, line, termios, foreground group)
 * is guarded by interrupts off, which is also what the wait queues need;
 * bytes are copied from and to kernel buffers only. tty.out, a sleeping
 * mutex, makes each write (and each echo) reach the console whole. Echo
 * and signals happen after the input state is released.
 * Context: task.
 * See: docs/tty.md, docs/input.md
 */
#include "fs/tty.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/kd.h>
#include <ember/signal.h>
#include <ember/stat.h>
#include <ember/uio.h>

#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "drivers/console.h"
#include "drivers/input.h"
#include "drivers/kbd.h"
#include "drivers/serial.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "lib/cmdline.h"
#include "lib/portable.h"
#include "lib/ring.h"
#include "mm/user_copy.h"
#include "sched/mutex.h"
#include "proc/procinfo.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "sched/wait.h"

#define TTY_RECORDS      64 /* completed canonical lines waiting */
#define TTY_ECHO_MAX     (3 * TTY_LINE_MAX) /* a killed line: "\b \b" each */
#define TTY_OUT_CHUNK    256
#define TTY_POLL_MS      10  /* VTIME's granularity is 100 ms */
#define TTY_DECISECOND   100 /* ms */
#define TTY_MODE         0620
#define TTY_DEFAULT_ROWS 24 /* a serial-only console */
#define TTY_DEFAULT_COLS 80
#define TTY_OPTION_MAX   16 /* the tty= option's value */
#define CTRL(c)          ((c)&0x1f)
#define ASCII_DEL        0x7f
#define DISABLED         0 /* _POSIX_VDISABLE: a c_cc entry that is off */

static uint8_t in_storage[TTY_IN_BYTES];
static uint16_t rec_storage[TTY_RECORDS];

static struct {
    /* Guarded by interrupts off. */
    struct termios tio;
    struct ring in;  /* bytes typed, in in_storage */
    struct ring rec; /* canonical: lengths of completed lines (uint16_t) */
    uint8_t line[TTY_LINE_MAX];
    size_t line_len;
    int fg_pgid;
    bool paused;                /* exclusive screen: all but ISIG dropped */
    bool stopped;               /* ^S: output waits for ^Q */
    bool started;               /* the input thread runs */
    bool screen_only;           /* a screen, no tty=serial: COM1 gets none */
    struct wait_queue readable; /* input, a new foreground, a flush */
    struct wait_queue writable; /* ^Q */
    /* Owned by whoever calls tty_receive() (the tty thread). */
    char echo[TTY_ECHO_MAX];
    size_t echo_len;
    struct mutex out;     /* the console, for one write at a time */
    void (*escape)(void); /* set at boot: ctrl-alt-backspace */
} tty = {
    .tio =
        {
            .c_iflag = ICRNL | IXON,
            .c_oflag = OPOST | ONLCR,
            .c_cflag = B38400 | CS8 | CREAD | HUPCL,
            .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
                       IEXTEN,
            .c_cc =
                {
                    [VINTR] = CTRL('C'),
                    [VQUIT] = CTRL('\\'),
                    [VERASE] = ASCII_DEL,
                    [VKILL] = CTRL('U'),
                    [VEOF] = CTRL('D'),
                    [VTIME] = 0,
                    [VMIN] = 1,
                    [VSTART] = CTRL('Q'),
                    [VSTOP] = CTRL('S'),
                    [VSUSP] = CTRL('Z'),
                    [VREPRINT] = CTRL('R'),
                    [VDISCARD] = CTRL('O'),
                    [VWERASE] = CTRL('W'),
                    [VLNEXT] = CTRL('V'),
                },
        },
    .in = {.buf = in_storage, .elem_size = 1, .cap = TTY_IN_BYTES},
    .rec = {.buf = (uint8_t *)rec_storage,
            .elem_size = sizeof(uint16_t),
            .cap = TTY_RECORDS},
    .out = MUTEX_INIT("tty.out"),
};

/* ---- output ---- */

static void emit(const char *s, size_t n)
{
    if (!tty.screen_only)
        serial_write_raw(s, n);
    if (console_active())
        console_write_raw(s, n);
}

/* Output processing, then the console. wait: honour ^S (not for echo). */
static long output(const char *buf, size_t n, bool wait)
{
    char chunk[2 * TTY_OUT_CHUNK];
    mutex_lock(&tty.out);
    if (wait)
        WAIT_EVENT(&tty.writable, !tty.stopped);
    uint32_t oflag = tty.tio.c_oflag;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if ((oflag & OPOST) && c == '\n' && (oflag & ONLCR))
            chunk[len++] = '\r';
        else if ((oflag & OPOST) && c == '\r' && (oflag & OCRNL))
            c = '\n';
        chunk[len++] = c;
        if (len >= TTY_OUT_CHUNK) {
            emit(chunk, len);
            len = 0;
        }
    }
    emit(chunk, len);
    mutex_unlock(&tty.out);
    return (long)n;
}

long tty_write_kernel(const char *buf, size_t n)
{
    return output(buf, n, true);
}

/* ---- input: all under interrupts off ---- */

static void echo_add(const char *s, size_t n)
{
    if (tty.echo_len + n <= sizeof tty.echo) {
        memcpy(tty.echo + tty.echo_len, s, n);
        tty.echo_len += n;
    }
}

/* Echoes c, a control character as ^X under ECHOCTL. */
static void echo_char(uint8_t c)
{
    uint32_t lflag = tty.tio.c_lflag;
    if ((lflag & ECHOCTL) && (c < 0x20 || c == ASCII_DEL) && c != '\t' &&
        c != '\n') {
        char ctl[2] = {'^', (char)(c ^ 0x40)};
        echo_add(ctl, 2);
    } else {
        echo_add((const char *)&c, 1);
    }
}

static bool is_ctl(uint8_t c)
{
    return (c < 0x20 || c == ASCII_DEL) && c != '\t';
}

/* Takes the last character off the line, echoing its erasure. */
static void erase_one(void)
{
    uint8_t c = tty.line[--tty.line_len];
    uint32_t lflag = tty.tio.c_lflag;
    if ((lflag & ECHO) && (lflag & ECHOE)) {
        echo_add("\b \b", 3);
        if ((lflag & ECHOCTL) && is_ctl(c))
            echo_add("\b \b", 3); /* it took two columns: ^X */
    }
}

static void flush_input(void)
{
    ring_clear(&tty.in);
    ring_clear(&tty.rec);
    tty.line_len = 0;
}

/* Appends n bytes to the ring; false (nothing added) if they do not fit. */
static bool input_add(const uint8_t *s, size_t n)
{
    if (n > ring_room(&tty.in))
        return false;
    ring_write(&tty.in, s, n);
    return true;
}

/* The current line becomes a record (length 0: end of file). */
static void complete_line(void)
{
    uint16_t len = (uint16_t)tty.line_len;
    if (ring_room(&tty.rec) > 0 && input_add(tty.line, tty.line_len))
        ring_push(&tty.rec, &len);
    tty.line_len = 0;
}

static bool is_cc(uint8_t c, int which)
{
    return tty.tio.c_cc[which] != DISABLED && c == tty.tio.c_cc[which];
}

/* Canonical mode: one byte of line editing. */
static void canonical(uint8_t c)
{
    uint32_t lflag = tty.tio.c_lflag;
    if (is_cc(c, VERASE)) {
        if (tty.line_len > 0)
            erase_one();
    } else if (is_cc(c, VKILL)) {
        if ((lflag & ECHO) && !(lflag & ECHOKE) && (lflag & ECHOK)) {
            echo_char(c);
            echo_add("\n", 1);
            tty.line_len = 0;
        }
        while (tty.line_len > 0)
            erase_one();
    } else if (is_cc(c, VWERASE) && (lflag & IEXTEN)) {
        while (tty.line_len > 0 && tty.line[tty.line_len - 1] == ' ')
            erase_one();
        while (tty.line_len > 0 && tty.line[tty.line_len - 1] != ' ')
            erase_one();
    } else if (is_cc(c, VEOF)) {
        complete_line();
    } else if (c == '\n' || is_cc(c, VEOL) || is_cc(c, VEOL2)) {
        tty.line[tty.line_len++] = c;
        if ((lflag & ECHO) || (c == '\n' && (lflag & ECHONL)))
            echo_char(c);
        complete_line();
    } else if (tty.line_len < TTY_LINE_MAX - 1) { /* room left for '\n' */
        tty.line[tty.line_len++] = c;
        if (lflag & ECHO)
            echo_char(c);
    }
}

/* c_iflag's part: 0 if the byte is consumed, else the byte to go on with. */
static int input_flags(uint8_t c)
{
    uint32_t iflag = tty.tio.c_iflag;
    if (iflag & ISTRIP)
        c &= 0x7f;
    if (c == '\r') {
        if (iflag & IGNCR)
            return -1;
        if (iflag & ICRNL)
            c = '\n';
    } else if (c == '\n' && (iflag & INLCR)) {
        c = '\r';
    }
    if (iflag & IXON) {
        if (is_cc(c, VSTOP)) {
            tty.stopped = true;
            return -1;
        }
        if (is_cc(c, VSTART) || ((iflag & IXANY) && tty.stopped)) {
            tty.stopped = false;
            if (is_cc(c, VSTART))
                return -1;
        }
    }
    return c;
}

/* ISIG: the signal c sends, or 0. */
static int signal_for(uint8_t c)
{
    if (!(tty.tio.c_lflag & ISIG))
        return 0;
    if (is_cc(c, VINTR))
        return SIGINT;
    if (is_cc(c, VQUIT))
        return SIGQUIT;
    if (is_cc(c, VSUSP))
        return SIGTSTP;
    return 0;
}

void tty_receive(uint8_t byte)
{
    int sig = 0, pgid = 0;
    uint64_t irq = irq_save();
    tty.echo_len = 0;
    int c = input_flags(byte);
    if (tty.paused && c >= 0 && !signal_for((uint8_t)c))
        c = -1; /* the screen's holder has the keys; only ^C gets through */
    if (c >= 0 && (sig = signal_for((uint8_t)c)) != 0) {
        if (!(tty.tio.c_lflag & NOFLSH))
            flush_input();
        if (tty.tio.c_lflag & ECHO)
            echo_char((uint8_t)c);
        pgid = tty.fg_pgid;
    } else if (c >= 0 && (tty.tio.c_lflag & ICANON)) {
        canonical((uint8_t)c);
    } else if (c >= 0) {
        uint8_t b = (uint8_t)c;
        if (input_add(&b, 1) && (tty.tio.c_lflag & ECHO))
            echo_char(b);
    }
    irq_restore(irq);
    wq_wake_all(&tty.readable);
    wq_wake_all(&tty.writable);
    poll_notify();
    if (tty.echo_len)
        output(tty.echo, tty.echo_len, false);
    if (sig && pgid > 0)
        proc_signal_group(pgid, sig);
}

static int input_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int c = input_wait_char();
        if (c == INPUT_ESCAPE && tty.escape)
            tty.escape();
        else if (c != INPUT_ESCAPE)
            tty_receive((uint8_t)c);
    }
    return 0;
}

void tty_set_escape_handler(void (*fn)(void))
{
    tty.escape = fn;
}

/* ---- reading ---- */

/* True if the caller may read now: its group is in the foreground. */
static bool in_foreground(void)
{
    return proc_current_pid() == 0 || tty.fg_pgid <= 0 ||
           proc_current_pgid() == tty.fg_pgid;
}

int tty_job_check(int sig)
{
    int pgid = proc_current_pgid();
    if (in_foreground() ||
        !proc_pgid_in_session(tty.fg_pgid, proc_current_sid()))
        return 0; /* the foreground, or not this terminal's session */
    if (proc_current_sig_ignored(sig))
        return sig == SIGTTIN ? -EIO : 0; /* SIGTTOU: go ahead */
    if (proc_pgid_orphaned(pgid))
        return -EIO; /* nobody would continue it */
    proc_signal_group(pgid, sig);
    return -EINTR; /* stopped on the way out; the call runs again after */
}

/* One canonical record (or part of it). Interrupts off. */
static size_t take_record(uint8_t *dst, size_t n)
{
    uint16_t *len = ring_peek(&tty.rec);
    size_t k = ring_read(&tty.in, dst, n < *len ? n : *len);
    *len -= (uint16_t)k;
    uint16_t done;
    if (*len == 0)
        ring_pop(&tty.rec, &done);
    return k;
}

/* How many bytes a raw read waits for, and whether it may wait at all. */
static bool raw_ready(size_t n, uint64_t deadline)
{
    size_t vmin = tty.tio.c_cc[VMIN];
    size_t want = vmin < n ? vmin : n;
    size_t have = ring_count(&tty.in);
    if (have >= want && (want > 0 || have > 0 || tty.tio.c_cc[VTIME] == 0))
        return true;
    return deadline && tsc_ms_since_entry() >= deadline &&
           (have > 0 || vmin == 0);
}

/*
 * The first time a program waits for the terminal - the shell at its first
 * prompt - the debug log (loglevel=3) says when, in guest time since kernel
 * entry: the "kernel entry to the shell prompt" figure of `make bench`.
 */
static void note_first_read(void)
{
    static bool noted;
    if (noted)
        return;
    noted = true;
    klog(LOG_DEBUG, "tty: first read, by pid %d, %lu ms after kernel entry",
         proc_current_pid(), (unsigned long)tsc_ms_since_entry());
}

static long tty_read(struct file *f, void *buf, size_t n)
{
    uint64_t deadline = 0;
    note_first_read();
    uint64_t irq = irq_save();
    for (;;) {
        bool canon = tty.tio.c_lflag & ICANON;
        int err = tty_job_check(SIGTTIN);
        if (err == 0 && wait_signal_pending())
            err = -EINTR;
        if (err) {
            irq_restore(irq);
            return err;
        }
        if (in_foreground() && canon && ring_count(&tty.rec) > 0) {
            size_t k = take_record(buf, n);
            irq_restore(irq);
            return (long)k;
        }
        if (in_foreground() && !canon && raw_ready(n, deadline)) {
            size_t k = ring_read(&tty.in, buf, n);
            irq_restore(irq);
            return (long)k;
        }
        if (f->flags & O_NONBLOCK) {
            irq_restore(irq);
            return -EAGAIN;
        }
        if (!canon && tty.tio.c_cc[VTIME] && in_foreground()) {
            /* VTIME: poll the clock; a byte arriving restarts it. */
            uint64_t ms = tty.tio.c_cc[VTIME] * TTY_DECISECOND;
            if (deadline == 0 || (ring_count(&tty.in) && tty.tio.c_cc[VMIN]))
                deadline = tsc_ms_since_entry() + ms;
            irq_restore(irq);
            sched_sleep_ms(TTY_POLL_MS);
            irq = irq_save();
            continue;
        }
        wq_block(&tty.readable);
    }
}

/* ---- the file ---- */

static long tty_write(struct file *f, const void *buf, size_t n)
{
    (void)f;
    if (tty.tio.c_lflag & TOSTOP) {
        int err = tty_job_check(SIGTTOU);
        if (err)
            return err;
    }
    return output(buf, n, true);
}

static int tty_stat(struct file *f, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = 0x0006; /* devfs's */
    st->st_ino = (uint64_t)(uintptr_t)f->priv + 1;
    st->st_nlink = 1;
    st->st_mode = S_IFCHR | TTY_MODE;
    st->st_rdev = (uint64_t)(uintptr_t)f->priv;
    st->st_blksize = TTY_OUT_CHUNK;
    return 0;
}

void tty_get_termios(struct termios *out)
{
    uint64_t irq = irq_save();
    *out = tty.tio;
    irq_restore(irq);
}

int tty_set_termios(const struct termios *t, unsigned long how)
{
    if (how != TCSETS && how != TCSETSW && how != TCSETSF)
        return -EINVAL;
    /* TCSETSW: output is written synchronously, so it is drained. */
    uint64_t irq = irq_save();
    bool was_canon = tty.tio.c_lflag & ICANON;
    tty.tio = *t;
    if (how == TCSETSF)
        flush_input();
    bool canon = tty.tio.c_lflag & ICANON;
    if (was_canon && !canon) {
        input_add(tty.line, tty.line_len); /* a half line becomes input */
        tty.line_len = 0;
        ring_clear(&tty.rec);
    } else if (!was_canon && canon && ring_count(&tty.in)) {
        uint16_t len = (uint16_t)ring_count(&tty.in);
        ring_clear(&tty.rec);
        ring_push(&tty.rec, &len); /* what was typed raw reads as one line */
    }
    if (!(tty.tio.c_iflag & IXON))
        tty.stopped = false;
    irq_restore(irq);
    wq_wake_all(&tty.readable);
    wq_wake_all(&tty.writable);
    poll_notify();
    return 0;
}

void tty_get_winsize(struct winsize *out)
{
    bool screen = console_active();
    *out = (struct winsize){
        .ws_row = (uint16_t)(screen ? console_rows() : TTY_DEFAULT_ROWS),
        .ws_col = (uint16_t)(screen ? console_cols() : TTY_DEFAULT_COLS),
    };
}

int tty_flush(int queue)
{
    if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH)
        return -EINVAL;
    if (queue != TCOFLUSH) {
        uint64_t irq = irq_save();
        flush_input();
        irq_restore(irq);
    }
    return 0; /* output is never queued: nothing to drop */
}

int tty_foreground(void)
{
    return tty.fg_pgid;
}

void tty_set_foreground(int pgid)
{
    tty.fg_pgid = pgid;
    wq_wake_all(&tty.readable); /* a background reader may go on now */
}

int tty_set_pgrp(int pgid)
{
    if (pgid < 0)
        return -EINVAL;
    if (!proc_pgid_alive(pgid))
        return -ESRCH; /* no such group at all, as Linux says */
    if (!proc_pgid_in_session(pgid, proc_current_sid()))
        return -EPERM; /* a group of another session */
    tty_set_foreground(pgid);
    return 0;
}

void tty_set_paused(bool paused)
{
    uint64_t irq = irq_save();
    tty.paused = paused;
    flush_input();
    irq_restore(irq);
    wq_wake_all(&tty.readable);
}

/* TIOCGPGRP, TIOCSPGRP, FIONREAD, TIOCGSID: an int through user memory. */
static long int_ioctl(unsigned long cmd, uint64_t u_arg)
{
    int v;
    if (cmd == TIOCSPGRP) {
        int err = user_copy_in(&v, u_arg, sizeof v);
        if (err == 0)
            err = tty_job_check(SIGTTOU);
        return err < 0 ? err : tty_set_pgrp(v);
    }
    if (cmd == TIOCGPGRP) {
        v = tty.fg_pgid;
    } else if (cmd == TIOCGSID) {
        v = proc_current_sid();
    } else {
        uint64_t irq = irq_save();
        uint16_t *len = ring_peek(&tty.rec);
        v = (int)(tty.tio.c_lflag & ICANON ? (len ? *len : 0)
                                           : ring_count(&tty.in));
        irq_restore(irq);
    }
    return user_copy_out(u_arg, &v, sizeof v);
}

/* EMBER_KDGETKEYMAP, EMBER_KDSETKEYMAP: the keyboard's layout by name. */
static long keymap_ioctl(unsigned long cmd, uint64_t u_arg)
{
    char name[EMBER_KEYMAP_NAME_MAX] = {0};
    if (cmd == EMBER_KDGETKEYMAP) {
        const char *cur = kbd_layout();
        memcpy(name, cur, strnlen(cur, sizeof name - 1));
        return user_copy_out(u_arg, name, sizeof name);
    }
    long len = user_copy_str(name, u_arg, sizeof name);
    return len < 0 ? len : kbd_set_layout(name);
}

static long tty_ioctl(struct file *f, unsigned long cmd, uint64_t u_arg)
{
    struct termios t;
    struct winsize ws;
    (void)f;
    switch (cmd) {
    case TCGETS:
        tty_get_termios(&t);
        return user_copy_out(u_arg, &t, sizeof t);
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        int err = user_copy_in(&t, u_arg, sizeof t);
        if (err == 0)
            err = tty_job_check(SIGTTOU);
        return err < 0 ? err : tty_set_termios(&t, cmd);
    }
    case TIOCGWINSZ:
        tty_get_winsize(&ws);
        return user_copy_out(u_arg, &ws, sizeof ws);
    case TIOCSWINSZ:
        return 0; /* the console's size is the screen's */
    case TIOCGPGRP:
    case TIOCSPGRP:
    case TIOCGSID:
    case FIONREAD:
        return int_ioctl(cmd, u_arg);
    case TCFLSH: {
        int err = tty_job_check(SIGTTOU);
        return err < 0 ? err : tty_flush((int)u_arg);
    }
    case EMBER_KDGETKEYMAP:
    case EMBER_KDSETKEYMAP:
        return keymap_ioctl(cmd, u_arg);
    case TCSBRK:
    case TIOCSCTTY:
    case TIOCNOTTY:
        return 0; /* output is already drained; one terminal, always ours */
    default:
        return -ENOTTY;
    }
}

/*
 * Readiness as Linux's n_tty_poll() gives it: a whole line in canonical
 * mode, VMIN bytes (at least one) in raw mode without VTIME, one byte with
 * it; output never waits for long, so it is always writable. Interrupts off.
 */
static unsigned tty_poll(struct file *f)
{
    (void)f;
    size_t vmin = tty.tio.c_cc[VMIN];
    size_t want = (!tty.tio.c_cc[VTIME] && vmin) ? vmin : 1;
    bool in = (tty.tio.c_lflag & ICANON) ? ring_count(&tty.rec) > 0
                                         : ring_count(&tty.in) >= want;
    return (in ? POLLIN : 0) | POLLOUT;
}

static const struct file_ops tty_ops = {
    .poll = tty_poll,
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .stat = tty_stat,
};

int tty_open(int flags, uint64_t rdev, struct file **out)
{
    uint64_t irq = irq_save();
    bool start = !tty.started;
    tty.started = true;
    irq_restore(irq);
    char opt[TTY_OPTION_MAX];
    if (start && console_active())
        tty.screen_only =
            !cmdline_get("tty", opt, sizeof opt) || strcmp(opt, "serial") != 0;
    if (start && !task_create("tty", input_thread, NULL, true)) {
        tty.started = false;
        return -ENOMEM;
    }
    *out = file_new(&tty_ops, flags, (void *)(uintptr_t)rdev);
    return *out ? 0 : -ENOMEM;
}
