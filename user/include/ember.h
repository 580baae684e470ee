/*
 * Ember's own calls for user programs: the seed's `int 0x80` calls that
 * Linux has no equivalent for (blit, exclusive screen, raw scancodes,
 * mouse), as static inline functions.
 *
 * Everything else a program needs goes through musl and the Linux door
 * (`syscall`). These wrappers use the seed's door: number in rax, arguments
 * in rdi, rsi, rdx, result in rax (a negative errno on failure). The numbers
 * come from <ember/syscall_seed.h>, the one list the kernel also uses. The
 * asm promises the compiler only what that ABI promises: rax holds the
 * result, and the argument registers and the other caller-saved registers
 * (rcx, r8-r11) may change; memory may be read (blit) or written.
 * Never call these on Linux: there `int 0x80` is the i386 ABI, where 10 is
 * unlink and 11 execve.
 *
 * See: docs/syscalls.md, docs/doom.md
 */
#pragma once

#include <stdint.h>

#include <ember/syscall_seed.h>

/* Call 10 takes the height in the upper half of rsi. */
#define EMBER_BLIT_HEIGHT_SHIFT 32
/* Call 21 packs two signed 16-bit deltas: dx in bits 0-15, dy in 16-31. */
#define EMBER_MOUSE_DY_SHIFT    16

static inline long ember_call0(long nr)
{
    long ret = nr;
    __asm__ volatile("int $0x80"
                     : "+a"(ret)
                     :
                     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
                       "memory", "cc");
    return ret;
}

static inline long ember_call2(long nr, long a, long b)
{
    long ret = nr;
    __asm__ volatile("int $0x80"
                     : "+a"(ret), "+D"(a), "+S"(b)
                     :
                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc");
    return ret;
}

/* The next raw scancode byte (set 1, prefixes included), 0 if none. */
static inline uint8_t ember_scancode(void)
{
    return (uint8_t)ember_call0(SEED_SYS_SCANCODE);
}

/*
 * The next translated key, 0 if none: ASCII, ctrl combinations as control
 * characters, and SEED_KEY_UP ... SEED_KEY_DELETE (0x80-0x86) for the rest.
 */
static inline unsigned int ember_key(void)
{
    return (unsigned int)ember_call0(SEED_SYS_KEY);
}

/* Gives up the CPU to another runnable task, if there is one. */
static inline void ember_yield(void)
{
    ember_call0(SEED_SYS_YIELD);
}

/*
 * Shows width x height XRGB pixels, scaled by the largest integer factor
 * that fits the screen and centred on black. 0 or a negative errno.
 */
static inline long ember_blit(const uint32_t *pixels, uint32_t width,
                              uint32_t height)
{
    return ember_call2(
        SEED_SYS_BLIT, (long)pixels,
        (long)((uint64_t)width | (uint64_t)height << EMBER_BLIT_HEIGHT_SHIFT));
}

/* Milliseconds since boot. */
static inline uint64_t ember_uptime_ms(void)
{
    return (uint64_t)ember_call0(SEED_SYS_UPTIME);
}

/*
 * Takes the screen exclusively. 0 or a negative errno. From the background
 * the call stops the caller's job (SIGTTOU) and returns -EINTR; it is asked
 * again, so `doom &` then `fg` starts the game (docs/tty.md).
 */
#define EMBER_EINTR 4 /* Linux's EINTR, without <errno.h> */
static inline long ember_screen_enter(void)
{
    long err;
    do
        err = ember_call0(SEED_SYS_SCREEN_ENTER);
    while (err == -EMBER_EINTR);
    return err;
}

/* Gives the screen back; the console redraws. 0 or a negative errno. */
static inline long ember_screen_leave(void)
{
    return ember_call0(SEED_SYS_SCREEN_LEAVE);
}

/* The mouse movement since the last call; dy is positive downward. */
static inline void ember_mouse_delta(int *dx, int *dy)
{
    uint64_t packed = (uint64_t)ember_call0(SEED_SYS_MOUSE_DELTA);

    *dx = (int16_t)(uint16_t)packed;
    *dy = (int16_t)(uint16_t)(packed >> EMBER_MOUSE_DY_SHIFT);
}

/* The buttons held now: SEED_MOUSE_LEFT, _RIGHT, _MIDDLE. */
static inline unsigned int ember_mouse_buttons(void)
{
    return (unsigned int)ember_call0(SEED_SYS_MOUSE_BUTTONS);
}
