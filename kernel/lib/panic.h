/*
 * panic(): the end of the line for a broken kernel invariant.
 *
 * Only for the kernel's own bugs (docs/conventions.md, "Errors"): anything
 * that comes from outside - user arguments, disk contents, a device - gets
 * an error code.
 *
 * Context: any.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

/*
 * Prints "PANIC: <message>" and a backtrace to the log, calls the exit set
 * by panic_set_exit() (under the harness: QEMU ends with DEBUGEXIT_FAIL),
 * and halts. Never returns.
 */
void panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Sets what panic calls before it halts; it may return (outside the
 * harness it does). debugexit_init() sets it. Boot.
 */
void panic_set_exit(void (*leave)(void));

/*
 * Prints a symbolised backtrace: rip first, then the return addresses found
 * by following the frame-pointer chain from rbp.
 */
void backtrace_print(uint64_t rip, uint64_t rbp);
