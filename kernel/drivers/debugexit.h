/*
 * QEMU's isa-debug-exit device: how a test run tells the harness its verdict.
 *
 * Writing a code v to the device's port ends QEMU with exit status
 * (v << 1) | 1, so no code can produce 0 (a plain power-off) or 1 (a QEMU
 * that failed to start). tests/system/run.py reads the codes below from this
 * file, so they are written in one place only.
 *
 * See: docs/boot.md, tests/system/README.md
 */
#pragma once

#include <stdint.h>
#include <stdbool.h>

#define DEBUGEXIT_PORT     0xf4 /* -device isa-debug-exit,iobase=0xf4 */
#define DEBUGEXIT_PASS     0x10 /* QEMU exits with 33 */
#define DEBUGEXIT_FAIL     0x11 /* QEMU exits with 35 */
#define DEBUGEXIT_POWEROFF 0x12 /* QEMU exits with 37: clean power-off */

/* True when the kernel runs under the test harness (the `harness` option). */
bool debugexit_enabled(void);

/* Makes a panic end QEMU with DEBUGEXIT_FAIL under the harness. Boot. */
void debugexit_init(void);

/* Under the harness, ends QEMU with `code`; otherwise returns. */
void debugexit_exit(uint32_t code);
