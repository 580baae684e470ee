/*
 * What kmain() leaves for the rest of the kernel: the parsed boot
 * information.
 *
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

#include "bootinfo.h"

/* Filled once by kmain() before anything else reads it. */
extern struct bootinfo boot_info;

/* Called by boot.S: magic from EAX, the info block's physical address. */
void kmain(uint32_t magic, uint32_t info_phys);
