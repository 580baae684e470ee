/*
 * The texts of /proc's files (kernel/proc/procfs_text.c): each fills buf
 * (cap bytes) and returns the length, cut to fit.
 *
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

#include <stddef.h>

#include "proc/procinfo.h"

/* /proc/meminfo: MemTotal, MemFree, MemAvailable, ... in kB. */
size_t procfs_text_meminfo(char *buf, size_t cap);

/* /proc/uptime: "uptime idle" in seconds with two decimals. */
size_t procfs_text_uptime(char *buf, size_t cap);

/* /proc/ember: the kernel's own figures, one "name value" a line. */
size_t procfs_text_ember(char *buf, size_t cap);

/* /proc/<pid>/stat and task/<tid>/stat: proc(5)'s 52 fields. */
size_t procfs_text_stat(const struct proc_info *p, char *buf, size_t cap);

/* /proc/<pid>/status and task/<tid>/status: "Name:\tvalue" lines. */
size_t procfs_text_status(const struct proc_info *p, char *buf, size_t cap);
