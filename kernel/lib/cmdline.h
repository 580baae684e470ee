/*
 * Kernel options: `key=value` and bare `flag` words from the command line.
 *
 * The command line is what GRUB passes, followed by whatever the test
 * harness put in QEMU's fw_cfg file opt/ember/cmdline (kernel/drivers/fwcfg.c),
 * so tests choose options without a new ISO. A later word wins over an
 * earlier one with the same key.
 *
 * Portable: also built into tests/host/test_cmdline.c.
 * See: docs/boot.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX 512

/* Sets the command line to boot_line + " " + extra (either may be NULL). */
void cmdline_init(const char *boot_line, const char *extra);

/* The whole command line as the kernel sees it. */
const char *cmdline_full(void);

/*
 * True if the last cmdline_init() was given more than CMDLINE_MAX - 1
 * bytes and kept only those: the caller says so in the log.
 */
bool cmdline_cut(void);

/* True if a word is exactly `flag` or starts with `flag=`. */
bool cmdline_has(const char *flag);

/*
 * Copies the value of the last `key=value` word into out (at most cap - 1
 * bytes, NUL-terminated). Returns true if the key was present.
 */
bool cmdline_get(const char *key, char *out, size_t cap);
