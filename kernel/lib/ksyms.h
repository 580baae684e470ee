/*
 * Names for kernel addresses, for backtraces and exception reports.
 *
 * The table is generated from the kernel ELF at build time by
 * tools/gensyms.py and linked into the .ksyms section by a second link
 * (kernel/kernel.mk explains why that cannot shift any address).
 *
 * Context: any.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

/*
 * Returns the name of the function containing addr and sets *offset to
 * addr's distance from its start, or returns NULL if addr is not in the
 * kernel's text.
 */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

/* The address of a function by name, or 0: for tests of the table itself. */
uint64_t ksyms_address(const char *name);
