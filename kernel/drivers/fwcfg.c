/*
 * fw_cfg over its legacy I/O ports, read by polling.
 *
 * The device is a selector (a 16-bit write picks an item) and a data port
 * that streams the item's bytes. Item 0 is the signature "QEMU"; item 0x19 is
 * the file directory: a big-endian count, then 64-byte entries (big-endian
 * size and selector, a 56-byte name). Facts from QEMU's docs/specs/fw_cfg.
 *
 * Context: boot, single-threaded.
 * See: docs/boot.md
 */
#include "drivers/fwcfg.h"

#include "arch/x86_64/cpu.h"
#include "lib/portable.h"

#include <ember/errno.h>
#include <stdint.h>

#define FWCFG_PORT_SEL   0x510
#define FWCFG_PORT_DATA  0x511
#define FWCFG_SIGNATURE  0x0000
#define FWCFG_FILE_DIR   0x0019
#define FWCFG_NAME_BYTES 56

static void read_bytes(void *buf, size_t n)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = inb(FWCFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

int fwcfg_read_file(const char *name, char *buf, size_t cap)
{
    char sig[4];
    uint8_t raw[4];

    outw(FWCFG_PORT_SEL, FWCFG_SIGNATURE);
    read_bytes(sig, sizeof sig);
    if (memcmp(sig, "QEMU", 4) != 0)
        return -ENOENT;

    outw(FWCFG_PORT_SEL, FWCFG_FILE_DIR);
    read_bytes(raw, sizeof raw);
    uint32_t count = be32(raw);
    for (uint32_t i = 0; i < count; i++) {
        struct {
            uint8_t size[4];
            uint8_t select[2];
            uint8_t reserved[2];
            char name[FWCFG_NAME_BYTES];
        } entry;
        _Static_assert(sizeof entry == 64, "fw_cfg file entry is 64 bytes");
        read_bytes(&entry, sizeof entry);
        entry.name[FWCFG_NAME_BYTES - 1] = '\0';
        if (strcmp(entry.name, name) != 0)
            continue;
        uint32_t size = be32(entry.size);
        uint16_t sel = (uint16_t)(entry.select[0] << 8 | entry.select[1]);
        if (cap == 0)
            return (int)size;
        size_t n = size < cap - 1 ? size : cap - 1;
        outw(FWCFG_PORT_SEL, sel);
        read_bytes(buf, n);
        buf[n] = '\0';
        return (int)n;
    }
    return -ENOENT;
}
