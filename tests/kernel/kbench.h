/*
 * In-kernel benchmarks: KBENCH(name) { ... } registers one, and the `bench`
 * kernel option runs them all (or `bench=a,b` the named ones).
 *
 * A benchmark measures with the TSC (kernel/arch/x86_64/tsc.h) and reports
 * with kbench_report(), which prints one line `name: value unit` on the
 * serial port; `make bench` (tests/system/bench.py) boots the kernel with
 * the option and prints those lines. Figures are never checked against
 * thresholds: speed is measured here, not asserted in tests.
 *
 * Context: the boot task.
 * See: tests/kernel/README.md
 */
#pragma once

#include <stdint.h>

struct kbench {
    const char *name;
    void (*fn)(void);
};

#define KBENCH(name)                                                           \
    static void kbench_fn_##name(void);                                        \
    static const struct kbench kbench_desc_##name __attribute__((              \
        used, section(".kbench"), aligned(8))) = {#name, kbench_fn_##name};    \
    static void kbench_fn_##name(void)

/* Prints "name: <num/den with 2 decimals> unit". */
void kbench_report(const char *name, uint64_t num, uint64_t den,
                   const char *unit);

/* Nanoseconds per operation for `ops` operations that took `cycles`. */
void kbench_report_ns_per_op(const char *name, uint64_t cycles, uint64_t ops);

/* Runs the benchmarks `spec` selects ("all" or a comma list), then exits. */
void kbench_run(const char *spec);
