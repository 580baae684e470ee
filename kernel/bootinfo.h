/*
 * What the bootloader told us, parsed once from the Multiboot2 info block.
 *
 * GRUB 2 hands the kernel a list of tags (command line, memory map,
 * framebuffer, modules, ACPI RSDP, ...). bootinfo_parse() walks that list
 * once, checks every size against the block's bounds, and copies what the
 * kernel needs into one struct bootinfo with fixed-size arrays. Everything
 * after boot reads the struct, never the raw tags, so the bootloader's memory
 * can be reused and no other file needs to know the tag layouts.
 *
 * Portable: also built into tests/host/test_bootinfo.c.
 * See: docs/boot.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define BOOTINFO_MAX_MMAP    128
#define BOOTINFO_MAX_MODULES 16
#define BOOTINFO_CMDLINE_MAX 256

/* Memory types as Multiboot2 numbers them. */
enum {
    BOOTINFO_MEM_USABLE = 1,
    BOOTINFO_MEM_RESERVED = 2,
    BOOTINFO_MEM_ACPI_RECLAIMABLE = 3,
    BOOTINFO_MEM_ACPI_NVS = 4,
    BOOTINFO_MEM_BAD = 5,
};

struct bootinfo_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct bootinfo_module {
    uint64_t start;
    uint64_t end;
    char cmdline[64];
};

struct bootinfo_fb {
    bool present;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp;
    uint8_t type; /* 1 = direct RGB */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct bootinfo {
    /* Of the info block itself, so the allocator can reserve it. */
    uint32_t total_size;
    char cmdline[BOOTINFO_CMDLINE_MAX];
    char bootloader[64];
    uint32_t mem_lower_kb, mem_upper_kb;
    bool has_basic_meminfo;
    struct bootinfo_mmap_entry mmap[BOOTINFO_MAX_MMAP];
    uint32_t mmap_count;
    uint64_t usable_bytes; /* sum of USABLE mmap entries */
    struct bootinfo_fb fb;
    struct bootinfo_module modules[BOOTINFO_MAX_MODULES];
    uint32_t module_count;
    /*
     * A copy of the ACPI RSDP, from tag 14 (v1, 20 bytes) or tag 15 (v2,
     * 36 bytes). When both are present the v2 copy wins.
     */
    bool has_rsdp;
    uint8_t rsdp[36];
    uint32_t rsdp_len;
    bool efi; /* an EFI 64-bit system table tag (12) was present */
};

/*
 * Parses the info block at `info`, of which `avail_len` bytes may be read,
 * into *out (which is cleared first). Returns 0, or -EINVAL for a malformed
 * block: total_size < 8 or > avail_len; a tag not 8-aligned, smaller than 8
 * bytes, or running past total_size; a known tag shorter than its fixed
 * fields; an mmap entry_size smaller than 24 or not a multiple of 8; a string
 * tag with no NUL inside the tag; no end tag (type 0, size 8). On -EINVAL
 * *out holds whatever was parsed before the fault and must not be used.
 *
 * Never reads outside [info, info + min(total_size, avail_len)). Unknown tag
 * types are skipped. Strings too long for their field are truncated (still
 * NUL-terminated), not refused. Memory map entries or modules beyond the
 * arrays are dropped with a LOG_WARN line. Prints nothing on success.
 * Context: any; does not allocate or sleep.
 */
int bootinfo_parse(const void *info, size_t avail_len, struct bootinfo *out);

/*
 * Human-readable name of an mmap type: "usable", "reserved",
 * "ACPI reclaimable", "ACPI NVS", "bad", or "unknown" for anything else.
 */
const char *bootinfo_mem_type_name(uint32_t type);
