/*
 * In-kernel self-tests: KTEST(name) { ... } registers a test, and the
 * `ktest=` kernel option chooses which run.
 *
 * Tests are built into every kernel (they cost a few KiB) and sit in the
 * .ktests section, so adding one needs no list to edit. `ktest=all` runs
 * every test not declared with KTEST_MANUAL; `ktest=a,b` runs the named
 * ones; `ktest=mm_*` runs those with the prefix. Manual tests are the ones
 * that end the machine on purpose (a deliberate page fault) and run only by
 * name. Results go to the serial port as "ktest: PASS name" / "ktest: FAIL
 * name" lines, then "ktest: N passed, N failed", and the verdict leaves
 * through isa-debug-exit.
 *
 * Context: the boot task, a scheduler task by then (kmain() runs the tests
 * after sched_init()), so tests may sleep and start threads.
 * See: tests/kernel/README.md
 */
#pragma once

#include <stdbool.h>

struct ktest {
    const char *name;
    void (*fn)(void);
    bool manual;
};

#define KTEST_DEFINE(name, is_manual)                                          \
    static void ktest_fn_##name(void);                                         \
    static const struct ktest ktest_desc_##name                                \
        __attribute__((used, section(".ktests"), aligned(8))) = {              \
            #name, ktest_fn_##name, is_manual};                                \
    static void ktest_fn_##name(void)

#define KTEST(name)        KTEST_DEFINE(name, false)
#define KTEST_MANUAL(name) KTEST_DEFINE(name, true)

/* Marks the running test failed (and says where) unless cond holds. */
#define KTEST_CHECK(cond)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            ktest_fail(#cond, __FILE__, __LINE__);                             \
    } while (0)

void ktest_fail(const char *expr, const char *file, int line);

/* Runs the tests `spec` selects, prints the verdict and exits QEMU. */
void ktest_run(const char *spec);
