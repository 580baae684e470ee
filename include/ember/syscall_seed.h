/*
 * The seed's system calls: the 22 numbers of the `int 0x80` door.
 *
 * Shared by the kernel (its seed syscall table) and user programs (the
 * wrappers in user/include/ember.h), so each number is written once, here.
 * The numbers and meanings are the seed's own and must not move: its
 * programs were built against them. Calling convention: number in rax,
 * arguments in rdi, rsi, rdx (then r10, r8, r9), result in rax, a negative
 * errno (<ember/errno.h>) on failure. Calls that Linux also has (write,
 * exit, open, read...) exist here only for the seed's programs; new programs
 * use the Linux door (<ember/syscall_linux.h>) through musl instead.
 *
 * Portable: yes (numbers only).
 * See: docs/syscalls.md
 */
#pragma once

#define SEED_SYS_PUTC   1 /* rdi = byte: write it to the console */
#define SEED_SYS_EXIT   2 /* rdi = status: end the process */
#define SEED_SYS_CLEAR  3 /* clear the screen */
#define SEED_SYS_CURSOR 4 /* rdi = x | y << 16: move the cursor */
#define SEED_SYS_READ_FILE                                                     \
    5 /* rdi = path, rsi = buf, rdx = cap: whole file                          \
       */
#define SEED_SYS_WRITE_FILE    6 /* rdi = path, rsi = buf, rdx = len: replace */
#define SEED_SYS_SCANCODE      7 /* next raw scancode, 0 if none or no focus */
#define SEED_SYS_YIELD         8 /* give up the CPU */
#define SEED_SYS_KEY           9 /* next translated key, 0 if none */
#define SEED_SYS_BLIT          10 /* rdi = XRGB pixels, rsi = w | h << 32 */
#define SEED_SYS_UPTIME        11 /* milliseconds since boot */
#define SEED_SYS_OPEN          12 /* rdi = path, rsi = flags: a descriptor */
#define SEED_SYS_READ          13 /* rdi = fd, rsi = buf, rdx = len */
#define SEED_SYS_SEEK          14 /* rdi = fd, rsi = offset, rdx = whence 0/1/2 */
#define SEED_SYS_CLOSE         15 /* rdi = fd */
#define SEED_SYS_SCREEN_ENTER  16 /* take the framebuffer exclusively */
#define SEED_SYS_SCREEN_LEAVE  17 /* give it back; the console redraws */
#define SEED_SYS_MKDIR         18 /* rdi = path */
#define SEED_SYS_REMOVE        19 /* rdi = path: a file or an empty directory */
#define SEED_SYS_RENAME        20 /* rdi = old path, rsi = new path */
#define SEED_SYS_MOUSE_DELTA   21 /* dx | dy << 16 (signed) since last call */
#define SEED_SYS_MOUSE_BUTTONS 22 /* bit 0 left, 1 right, 2 middle */

/* One past the highest number: the size of the kernel's seed table. */
#define SEED_SYS_COUNT 23

/*
 * Call 9's codes for keys that have no ASCII byte, 0x80-0x86 as in the seed.
 * The seed's write-up gives the range but not the order; this order is
 * Ember's, and ember.h and the kernel both take it from here.
 */
#define SEED_KEY_UP     0x80
#define SEED_KEY_DOWN   0x81
#define SEED_KEY_LEFT   0x82
#define SEED_KEY_RIGHT  0x83
#define SEED_KEY_HOME   0x84
#define SEED_KEY_END    0x85
#define SEED_KEY_DELETE 0x86

/* Call 14's whence, the same values as SEEK_SET/SEEK_CUR/SEEK_END. */
#define SEED_SEEK_SET 0
#define SEED_SEEK_CUR 1
#define SEED_SEEK_END 2

/* Call 22's button bits. */
#define SEED_MOUSE_LEFT   0x1
#define SEED_MOUSE_RIGHT  0x2
#define SEED_MOUSE_MIDDLE 0x4
