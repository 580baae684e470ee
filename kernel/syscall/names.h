/*
 * Names of Linux's system calls, for log lines about calls Ember lacks.
 *
 * The table is generated at build time from include/ember/syscall_linux.h
 * by tools/gen-syscall-names.py (kernel/kernel.mk), so each name is
 * written once, in the header.
 *
 * See: docs/syscalls.md
 */
#pragma once

#define SYSCALL_NAMES_MAX 512

/* NULL for a number the header does not name. */
extern const char *const syscall_linux_names[SYSCALL_NAMES_MAX];
