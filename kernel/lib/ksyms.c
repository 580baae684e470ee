/*
 * Lookup in the generated symbol table: a binary search by address.
 *
 * Layout of .ksyms (written by tools/gensyms.py): a 64-bit count, then
 * `count` entries of {address, offset of the name}, sorted by address, then
 * the NUL-terminated names. Offsets are from the start of the names.
 *
 * Context: any.
 * See: docs/boot.md
 */
#include "lib/ksyms.h"

#include "lib/portable.h"
#include "mm/layout.h"

struct ksym {
    uint64_t addr;
    uint64_t name_off;
};

extern const char __ksyms_start[], __ksyms_end[];

static uint64_t sym_count(void)
{
    if (__ksyms_end - __ksyms_start < (long)sizeof(uint64_t))
        return 0;
    return *(const uint64_t *)__ksyms_start;
}

static const struct ksym *sym_table(void)
{
    return (const struct ksym *)(__ksyms_start + sizeof(uint64_t));
}

static const char *sym_name(const struct ksym *s)
{
    const char *names = (const char *)(sym_table() + sym_count());
    return names + s->name_off;
}

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
    uint64_t n = sym_count();
    const struct ksym *t = sym_table();

    if (n == 0 || addr < t[0].addr || addr >= (uint64_t)__text_end)
        return NULL;
    uint64_t lo = 0, hi = n; /* invariant: t[lo].addr <= addr */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (t[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - t[lo].addr;
    return sym_name(&t[lo]);
}

uint64_t ksyms_address(const char *name)
{
    uint64_t n = sym_count();
    for (uint64_t i = 0; i < n; i++) {
        if (strcmp(sym_name(&sym_table()[i]), name) == 0)
            return sym_table()[i].addr;
    }
    return 0;
}
