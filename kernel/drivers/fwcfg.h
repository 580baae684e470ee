/*
 * QEMU's fw_cfg device: named files the host hands the guest.
 *
 * The test harness passes extra kernel options as the file
 * opt/ember/cmdline (`-fw_cfg name=opt/ember/cmdline,string=...`), so one ISO
 * serves every test.
 *
 * Context: boot, single-threaded.
 * See: docs/boot.md
 */
#pragma once

#include <stddef.h>

/*
 * Reads the fw_cfg file `name` into buf (at most cap - 1 bytes, then a NUL).
 * Returns its length, or -ENOENT when there is no device or no such file.
 */
int fwcfg_read_file(const char *name, char *buf, size_t cap);
