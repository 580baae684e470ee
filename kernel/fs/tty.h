/*
 * The console as a terminal: Linux's line discipline over the kernel
 * console (screen and serial) and the console input queue.
 *
 * tty_open() makes a struct file for /dev/console and /dev/tty; the first
 * open starts the "tty" kernel thread, which takes every byte from the
 * console input queue (kernel/drivers/input.h) through tty_receive(). Until
 * then the queue is left alone, so the boot's `hold` path and the input
 * tests read it directly.
 *
 * Context: task; reads and writes may sleep.
 * See: docs/tty.md, docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ember/termios.h>

struct file;

#define TTY_IN_BYTES 4096 /* typed-ahead input, lines and raw bytes */
#define TTY_LINE_MAX 4096 /* a canonical line, its '\n' included (Linux's) */

/*
 * A new open file on the terminal, reporting device number rdev in fstat
 * ((5 << 8) | 1 for /dev/console, 5 << 8 for /dev/tty). 0 or -ENOMEM.
 */
int tty_open(int flags, uint64_t rdev, struct file **out);

/*
 * One byte of input, as if typed: input processing (ICRNL...), signals
 * (ctrl-c sends SIGINT to the foreground group), line editing and echo.
 * The tty thread calls it; tests may too. Context: task.
 */
void tty_receive(uint8_t c);

/* The ioctls' work, on kernel structs (file_ioctl copies user memory). */
void tty_get_termios(struct termios *out);
/* how: TCSETS, TCSETSW (drain output first), TCSETSF (and flush input). */
int tty_set_termios(const struct termios *t, unsigned long how);
void tty_get_winsize(struct winsize *out);
/* TCFLSH: TCIFLUSH, TCOFLUSH or TCIOFLUSH; -EINVAL otherwise. */
int tty_flush(int queue);

/*
 * The foreground process group: 0 (none yet: every reader is foreground).
 * tty_set_pgrp() is TIOCSPGRP's check and change: -EINVAL for a negative
 * group, -EPERM unless some process of the caller's session is in it.
 * tty_set_foreground() sets it unchecked: the kernel at init's start, and
 * when the foreground group empties (back to the session leader's group).
 */
int tty_foreground(void);

/*
 * Job control's check for the calling process, before an operation on the
 * terminal that only the foreground may do (sig SIGTTIN: a read; SIGTTOU:
 * a write under TOSTOP, tcsetattr, tcsetpgrp, a flush, the exclusive
 * screen). 0: go ahead. -EINTR: sig was sent to the caller's group, which
 * stops on the way out and runs the call again when continued. -EIO: sig
 * is ignored or blocked (SIGTTIN only; SIGTTOU then goes ahead), or the
 * group is orphaned. Context: task; any interrupt state.
 */
int tty_job_check(int sig);
int tty_set_pgrp(int pgid);
void tty_set_foreground(int pgid);

/*
 * Exclusive screen mode (the seed's calls 16/17): while paused, typed
 * bytes are dropped instead of echoed or buffered, except the signal keys
 * (ISIG: ^C, ^\, ^Z), which still reach the foreground group, so a game
 * started from the serial console can be ended from there; pausing and
 * resuming both flush the input.
 */
void tty_set_paused(bool paused);

/*
 * Sets what the terminal's thread calls when the escape key combination
 * arrives (INPUT_ESCAPE): kernel/proc/screen.c's screen_escape(), set at
 * boot, since the terminal sits below processes. Context: boot.
 */
void tty_set_escape_handler(void (*fn)(void));

/* Writes n bytes with the terminal's output processing (OPOST, ONLCR). */
long tty_write_kernel(const char *buf, size_t n);
