/*
 * panic() and KASSERT's failure path, with a frame-pointer backtrace.
 *
 * The kernel is built with -fno-omit-frame-pointer, so every frame begins
 * with the caller's rbp and then the return address. The walk stops at a
 * zero rbp (boot.S clears it), at anything that is not an aligned
 * higher-half address, or after BACKTRACE_MAX frames, so a corrupt stack
 * cannot send it into a fault. A fault inside panic itself (a second panic)
 * skips the backtrace and halts at once.
 *
 * Context: any; interrupts are disabled for good.
 * See: docs/boot.md
 */
#include "lib/panic.h"

#include "arch/x86_64/cpu.h"
#include "lib/ksyms.h"
#include "lib/kprintf.h"
#include "lib/log.h"
#include "mm/layout.h"

#include <stdarg.h>

#define BACKTRACE_MAX 24

static volatile int panicking;

/*
 * How a panic leaves before halting: the harness's exit door, which the
 * debug-exit driver (a floor up) registers at boot. Written once at boot.
 */
static void (*exit_door)(void);

void panic_set_exit(void (*leave)(void))
{
    exit_door = leave;
}

static void __attribute__((noreturn)) leave_or_halt(void)
{
    if (exit_door)
        exit_door();
    cpu_halt_forever();
}

static bool plausible_frame(uint64_t rbp)
{
    return rbp >= HHDM_BASE && (rbp & 7) == 0;
}

static void print_addr(uint64_t addr)
{
    uint64_t off;
    const char *name = ksyms_lookup(addr, &off);
    if (name)
        kprintf("  %016lx  %s+0x%lx\n", (unsigned long)addr, name,
                (unsigned long)off);
    else
        kprintf("  %016lx  ?\n", (unsigned long)addr);
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n");
    print_addr(rip);
    for (int i = 0; i < BACKTRACE_MAX && plausible_frame(rbp); i++) {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];
        if (ret == 0)
            break;
        /* The return address points after the call; show the call itself. */
        print_addr(ret - 1);
        if (frame[0] <= rbp)
            break; /* frames must move up the stack */
        rbp = frame[0];
    }
}

void panic(const char *fmt, ...)
{
    va_list ap;

    cli();
    if (panicking++) {
        kprintf("\nPANIC inside panic; halting\n");
        leave_or_halt();
    }
    kprintf("\nPANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    /* Start at panic's caller: its return address and its saved rbp. */
    const uint64_t *frame = __builtin_frame_address(0);
    backtrace_print(frame[1] - 1, frame[0]);
    kprintf("System halted.\n");
    leave_or_halt();
}

void kassert_fail(const char *expr, const char *file, int line,
                  const char *func)
{
    panic("assertion failed: %s at %s:%d in %s()", expr, file, line, func);
}
