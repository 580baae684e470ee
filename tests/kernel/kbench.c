/*
 * The benchmark runner and its one output format.
 *
 * Context: the boot task.
 * See: tests/kernel/README.md
 */
#include "kbench.h"

#include "arch/x86_64/tsc.h"
#include "drivers/debugexit.h"
#include "lib/kprintf.h"
#include "lib/portable.h"

extern const struct kbench __kbench_start[], __kbench_end[];

void kbench_report(const char *name, uint64_t num, uint64_t den,
                   const char *unit)
{
    if (den == 0)
        den = 1;
    uint64_t hundredths = num * 100 / den;
    kprintf("bench: %s: %lu.%02lu %s\n", name,
            (unsigned long)(hundredths / 100),
            (unsigned long)(hundredths % 100), unit);
}

void kbench_report_ns_per_op(const char *name, uint64_t cycles, uint64_t ops)
{
    kbench_report(name, tsc_cycles_to_ns(cycles), ops, "ns");
}

static bool selected(const char *name, const char *spec)
{
    size_t n = strlen(name);
    const char *p = spec;

    if (strcmp(spec, "all") == 0 || spec[0] == '\0')
        return true;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

void kbench_run(const char *spec)
{
    for (const struct kbench *b = __kbench_start; b < __kbench_end; b++) {
        if (selected(b->name, spec))
            b->fn();
    }
    kprintf("bench: done\n");
    debugexit_exit(DEBUGEXIT_PASS);
}
