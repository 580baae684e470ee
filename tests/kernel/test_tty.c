/*
 * Self-tests of the terminal and /proc: line editing, end of file, raw
 * mode with VMIN/VTIME, ctrl-c, the foreground group, window size, and
 * /proc's files in Linux's formats.
 *
 * Input is fed with tty_receive(), as the tty thread would from the
 * keyboard, and read back through an open /dev/tty with file_read();
 * echo goes to the console (tests/system/test_terminal.py checks it).
 * Each test puts the terminal's settings back as it found them.
 *
 * Context: the boot task, interrupts on.
 * See: tests/kernel/README.md, docs/storage.md
 */
#include "ktest.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/termios.h>

#include "arch/x86_64/tsc.h"
#include "drivers/console.h"
#include "fs/file.h"
#include "fs/tty.h"
#include "fs/vfs.h"
#include "lib/format.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "proc/procinfo.h"
#include "sched/sched.h"

#define CTRL(c)  ((c)&0x1f)
#define DEL      0x7f
#define READ_MAX 64
#define PROC_MAX 8
#define VTIME_MS 200 /* VTIME = 2 */

static void feed(const char *s)
{
    while (*s)
        tty_receive((uint8_t)*s++);
}

/* Reads once from f into buf (NUL-terminated); returns the count. */
static long read_once(struct file *f, char *buf)
{
    long n = file_read(f, buf, READ_MAX - 1);
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

static struct termios saved_tio;

/*
 * Opens /dev/tty with the input flushed; echo only where the test is
 * about it, so no echoed text runs into the next `ktest:` line.
 */
static struct file *open_tty(int flags, bool echo)
{
    struct file *f = NULL;
    struct termios t;
    KTEST_CHECK(vfs_open(NULL, "/dev/tty", O_RDWR | flags, &f) == 0);
    tty_get_termios(&saved_tio);
    t = saved_tio;
    if (!echo)
        t.c_lflag &= ~(uint32_t)ECHO;
    tty_set_termios(&t, TCSETSF);
    return f;
}

static void close_tty(struct file *f)
{
    tty_set_termios(&saved_tio, TCSETSF);
    file_put(f);
}

/* Enter ('\r') ends a line as '\n' (ICRNL); DEL erases; one line a read. */
KTEST(tty_canonical_lines_with_erase)
{
    char buf[READ_MAX];
    struct file *f = open_tty(0, true);
    if (!f)
        return;
    feed("hello\x7f\x7fp!\rsecond\r");
    KTEST_CHECK(read_once(f, buf) == 6 && strcmp(buf, "help!\n") == 0);
    KTEST_CHECK(read_once(f, buf) == 7 && strcmp(buf, "second\n") == 0);
    /* A short buffer takes a line in pieces. */
    feed("abcdef\r");
    KTEST_CHECK(file_read(f, buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0);
    KTEST_CHECK(read_once(f, buf) == 3 && strcmp(buf, "ef\n") == 0);
    /* ^U kills the line, ^W a word. */
    char kill[] = {'x', 'y', CTRL('U'), 'o', 'k', '\r', 0};
    feed(kill);
    KTEST_CHECK(read_once(f, buf) == 3 && strcmp(buf, "ok\n") == 0);
    char werase[] = {'a', ' ', 'b', 'c', CTRL('W'), 'd', '\r', 0};
    feed(werase);
    KTEST_CHECK(read_once(f, buf) == 4 && strcmp(buf, "a d\n") == 0);
    close_tty(f);
}

/* ^D on an empty line is end of file; after text it ends the line. */
KTEST(tty_ctrl_d_is_end_of_file)
{
    char buf[READ_MAX];
    struct file *f = open_tty(0, false);
    if (!f)
        return;
    char eof_after_text[] = {'x', 'y', CTRL('D'), CTRL('D'), 0};
    feed(eof_after_text);
    KTEST_CHECK(read_once(f, buf) == 2 && strcmp(buf, "xy") == 0);
    KTEST_CHECK(read_once(f, buf) == 0);
    close_tty(f);
}

/* Raw mode: bytes as typed, at once; VMIN = 0 polls; VTIME times out. */
KTEST(tty_raw_mode_vmin_vtime)
{
    char buf[READ_MAX];
    struct termios saved, raw;
    struct file *f = open_tty(0, false);
    if (!f)
        return;
    tty_get_termios(&saved);
    raw = saved;
    raw.c_iflag &= ~(uint32_t)(ICRNL | IXON);
    raw.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    KTEST_CHECK(tty_set_termios(&raw, TCSETSF) == 0);
    feed("\x1b[A\r");
    KTEST_CHECK(read_once(f, buf) == 4 && strcmp(buf, "\x1b[A\r") == 0);
    char ctl_c[] = {CTRL('C'), 0};
    feed(ctl_c); /* ISIG off: a plain byte */
    KTEST_CHECK(read_once(f, buf) == 1 && buf[0] == CTRL('C'));
    raw.c_cc[VMIN] = 0;
    KTEST_CHECK(tty_set_termios(&raw, TCSETS) == 0);
    KTEST_CHECK(read_once(f, buf) == 0); /* nothing there: at once */
    raw.c_cc[VTIME] = VTIME_MS / 100;
    KTEST_CHECK(tty_set_termios(&raw, TCSETS) == 0);
    uint64_t t0 = tsc_ms_since_entry();
    KTEST_CHECK(read_once(f, buf) == 0);
    uint64_t waited = tsc_ms_since_entry() - t0;
    /* Never early; late only by what a busy host costs (TSC time). */
    KTEST_CHECK(waited >= VTIME_MS && waited < VTIME_MS + 1000);
    /* Half a line typed in canonical mode is input in raw mode. */
    KTEST_CHECK(tty_set_termios(&saved, TCSETSF) == 0);
    feed("half");
    KTEST_CHECK(tty_set_termios(&raw, TCSETS) == 0);
    KTEST_CHECK(read_once(f, buf) == 4 && strcmp(buf, "half") == 0);
    KTEST_CHECK(tty_set_termios(&saved, TCSETSF) == 0);
    KTEST_CHECK(tty_set_termios(&saved, 0x1234) == -EINVAL);
    close_tty(f);
}

/* ^C throws away the typed line (and signals the foreground group). */
KTEST(tty_ctrl_c_flushes_input)
{
    char buf[READ_MAX];
    struct file *f = open_tty(O_NONBLOCK, false);
    if (!f)
        return;
    char line[] = {'a', 'b', 'c', CTRL('C'), 0};
    feed(line);
    KTEST_CHECK(file_read(f, buf, sizeof buf) == -EAGAIN);
    feed("z\r");
    KTEST_CHECK(read_once(f, buf) == 2 && strcmp(buf, "z\n") == 0);
    KTEST_CHECK(tty_flush(TCIOFLUSH) == 0 && tty_flush(7) == -EINVAL);
    close_tty(f);
}

/* The defaults are Linux's; the window is the console's. */
KTEST(tty_defaults_and_window_size)
{
    struct termios t;
    struct winsize ws;
    tty_get_termios(&t);
    KTEST_CHECK((t.c_iflag & (ICRNL | IXON)) == (ICRNL | IXON));
    KTEST_CHECK((t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
    KTEST_CHECK((t.c_lflag & (ISIG | ICANON | ECHO | ECHOE)) ==
                (ISIG | ICANON | ECHO | ECHOE));
    KTEST_CHECK(t.c_cc[VERASE] == DEL && t.c_cc[VINTR] == CTRL('C'));
    KTEST_CHECK(t.c_cc[VEOF] == CTRL('D') && t.c_cc[VMIN] == 1);
    tty_get_winsize(&ws);
    if (console_active())
        KTEST_CHECK(ws.ws_row == console_rows() && ws.ws_col == console_cols());
    else
        KTEST_CHECK(ws.ws_row == 24 && ws.ws_col == 80);
}

/* TIOCSPGRP: -ESRCH for no such group, -EPERM for another session's. */
KTEST(tty_foreground_group_checked)
{
    struct proc_info *ps = kmalloc(sizeof *ps * PROC_MAX);
    int saved = tty_foreground();
    KTEST_CHECK(tty_set_pgrp(-1) == -EINVAL);
    KTEST_CHECK(tty_set_pgrp(999999) == -ESRCH);
    int n = ps ? proc_list(ps, PROC_MAX) : 0;
    for (int i = 0; i < n && i < PROC_MAX; i++) {
        int ok = proc_pgid_in_session(ps[i].pgid, proc_current_sid());
        KTEST_CHECK(tty_set_pgrp(ps[i].pgid) == (ok ? 0 : -EPERM));
    }
    tty_set_foreground(saved);
    kfree(ps);
}

/* ---- /proc ---- */

static long read_path(const char *path, char *buf, size_t cap)
{
    struct file *f;
    int err = vfs_open(NULL, path, O_RDONLY, &f);
    if (err < 0)
        return err;
    long n = file_read(f, buf, cap - 1);
    buf[n > 0 ? n : 0] = '\0';
    file_put(f);
    return n;
}

static int count_fields(const char *s)
{
    int n = 0;
    for (bool in = false; *s; s++) {
        bool space = *s == ' ' || *s == '\n';
        if (!space && !in)
            n++;
        in = !space;
    }
    return n;
}

/* meminfo, uptime and Ember's figures, in their formats. */
KTEST(tty_proc_files_in_linux_formats)
{
    static char buf[1024];
    struct file *f;
    KTEST_CHECK(read_path("/proc/meminfo", buf, sizeof buf) > 0);
    KTEST_CHECK(strncmp(buf, "MemTotal:       ", 16) == 0);
    KTEST_CHECK(buf[16 + 8] == ' ' && buf[16 + 9] == 'k');
    KTEST_CHECK(read_path("/proc/uptime", buf, sizeof buf) > 0);
    char *dot = strchr(buf, '.');
    KTEST_CHECK(dot && dot[3] == ' ' && strchr(dot + 1, '.'));
    KTEST_CHECK(read_path("/proc/ember", buf, sizeof buf) > 0);
    KTEST_CHECK(strncmp(buf, "frames_total ", 13) == 0);
    kprintf("ktest: /proc/ember:\n%s", buf);
    KTEST_CHECK(vfs_open(NULL, "/proc/meminfo", O_WRONLY, &f) == -EROFS);
    KTEST_CHECK(vfs_open(NULL, "/proc/new", O_CREAT | O_WRONLY, &f) == -EROFS);
    KTEST_CHECK(vfs_mkdir(NULL, "/proc/x", 0755) == -EROFS);
    KTEST_CHECK(read_path("/proc/0", buf, sizeof buf) == -ENOENT);
    KTEST_CHECK(read_path("/proc/nothing", buf, sizeof buf) == -ENOENT);
}

/* One directory per process with stat (52 fields) and cmdline. */
KTEST(tty_proc_pid_directories)
{
    static char buf[1024], path[64];
    struct proc_info *ps = kmalloc(sizeof *ps * PROC_MAX);
    int n = ps ? proc_list(ps, PROC_MAX) : 0;
    for (int i = 0; i < n && i < PROC_MAX; i++) {
        ksnprintf(path, sizeof path, "/proc/%d/stat", ps[i].pid);
        KTEST_CHECK(read_path(path, buf, sizeof buf) > 0);
        kprintf("ktest: %s: %s", path, buf);
        KTEST_CHECK(count_fields(buf) == 52);
        char head[64];
        ksnprintf(head, sizeof head, "%d (%s) %c %d ", ps[i].pid, ps[i].name,
                  ps[i].state, ps[i].ppid);
        KTEST_CHECK(strncmp(buf, head, strlen(head)) == 0);
        ksnprintf(path, sizeof path, "/proc/%d/cmdline", ps[i].pid);
        long len = read_path(path, buf, sizeof buf);
        KTEST_CHECK(len == (long)ps[i].cmdline_len);
    }
    kfree(ps);
    struct file *f;
    uint8_t dents[512];
    KTEST_CHECK(vfs_open(NULL, "/proc", O_RDONLY | O_DIRECTORY, &f) == 0);
    long got = file_getdents(f, dents, sizeof dents);
    KTEST_CHECK(got > 0);
    file_put(f);
}

/* ---- for tests/system/test_terminal.py: keys from the host ---- */

static void print_hex(const char *what, const char *buf, long n)
{
    kprintf("tty: %s ", what);
    for (long i = 0; i < n; i++)
        kprintf("%02x", (uint8_t)buf[i]);
    kprintf("\n");
}

/*
 * A terminal session: canonical lines until ^D, then raw bytes until a
 * 'q', then output with and without OPOST. Each read is printed in hex.
 */
KTEST_MANUAL(tty_session)
{
    char buf[READ_MAX];
    struct termios saved, raw;
    struct file *f;
    if (vfs_open(NULL, "/dev/console", O_RDWR, &f) < 0) {
        KTEST_CHECK(false);
        return;
    }
    kprintf("tty: ready\n");
    long n;
    while ((n = file_read(f, buf, sizeof buf)) > 0)
        print_hex("line", buf, n);
    kprintf("tty: eof\n");
    tty_get_termios(&saved);
    raw = saved;
    raw.c_iflag &= ~(uint32_t)(ICRNL | IXON);
    raw.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG);
    KTEST_CHECK(tty_set_termios(&raw, TCSETSF) == 0);
    kprintf("tty: raw\n");
    bool quit = false;
    while (!quit && (n = file_read(f, buf, sizeof buf)) > 0) {
        print_hex("bytes", buf, n);
        for (long i = 0; i < n; i++)
            quit = quit || buf[i] == 'q';
    }
    KTEST_CHECK(tty_set_termios(&saved, TCSETS) == 0);
    file_write(f, "A\nB\n", 4);
    raw = saved;
    raw.c_oflag &= ~(uint32_t)OPOST;
    KTEST_CHECK(tty_set_termios(&raw, TCSETS) == 0);
    file_write(f, "C\nD\n", 4);
    KTEST_CHECK(tty_set_termios(&saved, TCSETS) == 0);
    kprintf("\ntty: done\n");
    file_put(f);
}
