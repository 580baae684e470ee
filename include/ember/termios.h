/*
 * The terminal ABI: the kernel's struct termios, struct winsize, the ioctl
 * numbers and the flag bits, with Linux's x86_64 values.
 *
 * Shared by the kernel (the console's TCGETS/TCSETS* and TIOCGWINSZ) and user
 * programs. This struct termios is the kernel's, 36 bytes with 19 control
 * characters: musl's tcgetattr passes its own larger struct straight to
 * TCGETS, whose first 36 bytes have this layout, so the kernel copies exactly
 * sizeof(struct termios) in and out and never more.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define TERMIOS_NCCS 19 /* Linux's kernel NCCS; libc's is larger */

struct termios {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t c_line;
    uint8_t c_cc[TERMIOS_NCCS];
};
_Static_assert(sizeof(struct termios) == 36, "Linux kernel termios");
_Static_assert(offsetof(struct termios, c_cc) == 17, "c_cc offset");

struct winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};
_Static_assert(sizeof(struct winsize) == 8, "Linux winsize");

/* ioctl numbers (Linux <asm-generic/ioctls.h>). */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429

/* TCFLSH's argument. */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* Indices into c_cc. */
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16

/* c_iflag */
#define IGNBRK  0000001
#define BRKINT  0000002
#define IGNPAR  0000004
#define PARMRK  0000010
#define INPCK   0000020
#define ISTRIP  0000040
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IXON    0002000
#define IXANY   0004000
#define IXOFF   0010000
#define IMAXBEL 0020000
#define IUTF8   0040000

/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
#define OCRNL 0000010

/* c_cflag */
#define B38400 0000017
#define CSIZE  0000060
#define CS8    0000060
#define CREAD  0000200
#define PARENB 0000400
#define HUPCL  0002000
#define CLOCAL 0004000

/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000
