/*
 * The self-test runner: selects tests from the .ktests section and reports.
 *
 * Context: the boot task.
 * See: tests/kernel/README.md
 */
#include "ktest.h"

#include "drivers/debugexit.h"
#include "lib/kprintf.h"
#include "lib/portable.h"

extern const struct ktest __ktests_start[], __ktests_end[];

static bool current_failed;

void ktest_fail(const char *expr, const char *file, int line)
{
    kprintf("ktest: check failed: %s at %s:%d\n", expr, file, line);
    current_failed = true;
}

/* Does the comma-separated spec select test t? */
static bool selected(const struct ktest *t, const char *spec)
{
    const char *p = spec;

    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 3 && strncmp(p, "all", 3) == 0 && !t->manual)
            return true;
        if (n > 0 && p[n - 1] == '*') {
            if (strncmp(t->name, p, n - 1) == 0 && !t->manual)
                return true;
        } else if (strlen(t->name) == n && strncmp(t->name, p, n) == 0) {
            return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void ktest_run(const char *spec)
{
    int passed = 0, failed = 0;

    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
        if (!selected(t, spec))
            continue;
        kprintf("ktest: RUN %s\n", t->name);
        current_failed = false;
        t->fn();
        kprintf("ktest: %s %s\n", current_failed ? "FAIL" : "PASS", t->name);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    kprintf("ktest: %d passed, %d failed\n", passed, failed);
    debugexit_exit(failed || passed == 0 ? DEBUGEXIT_FAIL : DEBUGEXIT_PASS);
}
