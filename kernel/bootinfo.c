/*
 * Multiboot2 boot information -> struct bootinfo, parsed once at boot.
 *
 * The block starts with u32 total_size and u32 reserved, then a list of tags,
 * each with u32 type and u32 size (size counts the 8-byte tag header but not
 * the padding that puts the next tag on an 8-byte boundary); a tag of type 0
 * and size 8 ends the list. The block comes from the bootloader, so nothing
 * in it is trusted: every offset is checked against the readable length
 * before it is used, and fields are read with memcpy because the tags' u64
 * fields need not be naturally aligned for the host's UBSan. The parser only
 * copies: it allocates nothing and keeps no pointer into the block, so the
 * block's memory may be reused once bootinfo_parse() has returned.
 *
 * Portable: also built into tests/host/test_bootinfo.c.
 * See: docs/boot.md
 */
#include "bootinfo.h"

#include <ember/errno.h>
#include "lib/portable.h"

/* Tag types, from the Multiboot2 specification, section 3.6. */
#define MB2_TAG_END           0
#define MB2_TAG_CMDLINE       1
#define MB2_TAG_BOOTLOADER    2
#define MB2_TAG_MODULE        3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP          6
#define MB2_TAG_FRAMEBUFFER   8
#define MB2_TAG_EFI64         12
#define MB2_TAG_ACPI_OLD      14
#define MB2_TAG_ACPI_NEW      15

/* Sizes and offsets of the fixed fields, from the same section. */
#define MB2_HEADER_SIZE     8 /* total_size, reserved */
#define MB2_TAG_HEADER_SIZE 8 /* type, size */
#define MB2_TAG_ALIGN       8
#define MB2_MODULE_FIXED    16 /* header, mod_start, mod_end */
#define MB2_MEMINFO_FIXED   16 /* header, mem_lower, mem_upper */
#define MB2_MMAP_FIXED      16 /* header, entry_size, entry_version */
#define MB2_MMAP_ENTRY_MIN  24 /* base_addr, length, type, reserved */
#define MB2_FB_FIXED        32 /* header, addr, pitch, w, h, bpp, type, rsv */
#define MB2_FB_RGB_FIXED    38 /* ... and six colour position/size bytes */
#define MB2_FB_TYPE_RGB     1
#define MB2_EFI64_FIXED     16 /* header, u64 pointer */
#define MB2_RSDP_V1_LEN     20 /* ACPI 6.5, table 5.3: RSDP revision 0 */
#define MB2_RSDP_V2_LEN     36 /* ... revision 2, with XSDT address */

/* One tag, bounds already checked: p points at its header, size >= 8. */
struct tag {
    const uint8_t *p;
    uint32_t type;
    uint32_t size;
};

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * Copies the NUL-terminated string at tag offset `off` into dst (cap bytes),
 * truncating if it is too long. The NUL must lie inside the tag: a string
 * that runs to the tag's end is malformed, not merely long.
 */
static int copy_string(const struct tag *t, uint32_t off, char *dst, size_t cap)
{
    size_t room = t->size - off;
    size_t len = strnlen((const char *)t->p + off, room);
    if (len == room)
        return -EINVAL;
    if (len > cap - 1)
        len = cap - 1;
    memcpy(dst, t->p + off, len);
    dst[len] = '\0';
    return 0;
}

static int parse_module(const struct tag *t, struct bootinfo *out)
{
    if (t->size < MB2_MODULE_FIXED)
        return -EINVAL;
    if (out->module_count == BOOTINFO_MAX_MODULES) {
        /* Still check the string, so that a bad tag is refused either way. */
        char scratch[1];
        int err = copy_string(t, MB2_MODULE_FIXED, scratch, sizeof scratch);
        if (err == 0)
            klog(LOG_WARN, "bootinfo: more than %d modules, dropping one\n",
                 BOOTINFO_MAX_MODULES);
        return err;
    }
    struct bootinfo_module *m = &out->modules[out->module_count];
    m->start = rd32(t->p + 8);
    m->end = rd32(t->p + 12);
    int err = copy_string(t, MB2_MODULE_FIXED, m->cmdline, sizeof m->cmdline);
    if (err == 0)
        out->module_count++;
    return err;
}

/*
 * The memory map: entry_size lets later specification versions grow the
 * entry, so we step by it and read only the first 24 bytes. Bytes after the
 * last whole entry are ignored.
 */
static int parse_mmap(const struct tag *t, struct bootinfo *out)
{
    if (t->size < MB2_MMAP_FIXED)
        return -EINVAL;
    uint32_t entry_size = rd32(t->p + 8);
    if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8 != 0)
        return -EINVAL;

    uint32_t dropped = 0;
    for (uint32_t off = MB2_MMAP_FIXED; t->size - off >= entry_size;
         off += entry_size) {
        if (out->mmap_count == BOOTINFO_MAX_MMAP) {
            dropped++;
            continue;
        }
        struct bootinfo_mmap_entry *e = &out->mmap[out->mmap_count++];
        e->base = rd64(t->p + off);
        e->length = rd64(t->p + off + 8);
        e->type = rd32(t->p + off + 16);
        if (e->type == BOOTINFO_MEM_USABLE) {
            /* Saturate: a hostile map must not wrap the total to small. */
            uint64_t sum = out->usable_bytes + e->length;
            out->usable_bytes = sum < e->length ? UINT64_MAX : sum;
        }
    }
    if (dropped)
        klog(LOG_WARN, "bootinfo: memory map has %u entries too many for %d\n",
             dropped, BOOTINFO_MAX_MMAP);
    return 0;
}

/*
 * The framebuffer. GRUB's layout puts a u16 reserved field after `type`, so
 * the colour info starts at offset 32. Only direct RGB (type 1) colour info
 * is read; a palette (type 0) or EGA text (type 2) is recorded as its type.
 */
static int parse_framebuffer(const struct tag *t, struct bootinfo *out)
{
    if (t->size < MB2_FB_FIXED)
        return -EINVAL;
    uint8_t type = t->p[29];
    if (type == MB2_FB_TYPE_RGB && t->size < MB2_FB_RGB_FIXED)
        return -EINVAL;

    struct bootinfo_fb *fb = &out->fb;
    fb->present = true;
    fb->addr = rd64(t->p + 8);
    fb->pitch = rd32(t->p + 16);
    fb->width = rd32(t->p + 20);
    fb->height = rd32(t->p + 24);
    fb->bpp = t->p[28];
    fb->type = type;
    if (type == MB2_FB_TYPE_RGB) {
        fb->red_pos = t->p[32];
        fb->red_size = t->p[33];
        fb->green_pos = t->p[34];
        fb->green_size = t->p[35];
        fb->blue_pos = t->p[36];
        fb->blue_size = t->p[37];
    }
    return 0;
}

/* Tags 14 and 15 hold a verbatim copy of the RSDP; a v2 copy beats a v1. */
static int parse_rsdp(const struct tag *t, uint32_t len, struct bootinfo *out)
{
    if (t->size < MB2_TAG_HEADER_SIZE + len)
        return -EINVAL;
    if (out->has_rsdp && out->rsdp_len > len)
        return 0;
    memcpy(out->rsdp, t->p + MB2_TAG_HEADER_SIZE, len);
    out->rsdp_len = len;
    out->has_rsdp = true;
    return 0;
}

static int parse_tag(const struct tag *t, struct bootinfo *out)
{
    switch (t->type) {
    case MB2_TAG_CMDLINE:
        return copy_string(t, MB2_TAG_HEADER_SIZE, out->cmdline,
                           sizeof out->cmdline);
    case MB2_TAG_BOOTLOADER:
        return copy_string(t, MB2_TAG_HEADER_SIZE, out->bootloader,
                           sizeof out->bootloader);
    case MB2_TAG_MODULE:
        return parse_module(t, out);
    case MB2_TAG_BASIC_MEMINFO:
        if (t->size < MB2_MEMINFO_FIXED)
            return -EINVAL;
        out->mem_lower_kb = rd32(t->p + 8);
        out->mem_upper_kb = rd32(t->p + 12);
        out->has_basic_meminfo = true;
        return 0;
    case MB2_TAG_MMAP:
        return parse_mmap(t, out);
    case MB2_TAG_FRAMEBUFFER:
        return parse_framebuffer(t, out);
    case MB2_TAG_EFI64:
        if (t->size < MB2_EFI64_FIXED)
            return -EINVAL;
        out->efi = true;
        return 0;
    case MB2_TAG_ACPI_OLD:
        return parse_rsdp(t, MB2_RSDP_V1_LEN, out);
    case MB2_TAG_ACPI_NEW:
        return parse_rsdp(t, MB2_RSDP_V2_LEN, out);
    default:
        return 0; /* unknown or unneeded: skipped */
    }
}

/*
 * The walk. Tags sit at offsets that are multiples of 8 from the block's
 * start (off begins at 8 and is rounded up after each tag), so alignment
 * holds by construction; what must be checked is that each header and each
 * tag's whole size lie below total_size, which in turn is at most avail_len.
 */
int bootinfo_parse(const void *info, size_t avail_len, struct bootinfo *out)
{
    const uint8_t *base = info;

    memset(out, 0, sizeof *out);
    if (avail_len < MB2_HEADER_SIZE)
        return -EINVAL;
    uint32_t total = rd32(base);
    if (total < MB2_HEADER_SIZE || total > avail_len)
        return -EINVAL;
    out->total_size = total;

    uint32_t off = MB2_HEADER_SIZE;
    while (total - off >= MB2_TAG_HEADER_SIZE) {
        struct tag t = {
            .p = base + off,
            .type = rd32(base + off),
            .size = rd32(base + off + 4),
        };
        if (t.size < MB2_TAG_HEADER_SIZE || t.size > total - off)
            return -EINVAL;
        if (t.type == MB2_TAG_END)
            return t.size == MB2_TAG_HEADER_SIZE ? 0 : -EINVAL;
        int err = parse_tag(&t, out);
        if (err < 0)
            return err;
        /* Round up in 64 bits: off + size may be just below 2^32. */
        uint64_t next = ((uint64_t)off + t.size + MB2_TAG_ALIGN - 1) &
                        ~(uint64_t)(MB2_TAG_ALIGN - 1);
        if (next >= total)
            break;
        off = (uint32_t)next;
    }
    return -EINVAL; /* ran out of block before the end tag */
}

const char *bootinfo_mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOTINFO_MEM_USABLE:
        return "usable";
    case BOOTINFO_MEM_RESERVED:
        return "reserved";
    case BOOTINFO_MEM_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case BOOTINFO_MEM_ACPI_NVS:
        return "ACPI NVS";
    case BOOTINFO_MEM_BAD:
        return "bad";
    default:
        return "unknown";
    }
}
