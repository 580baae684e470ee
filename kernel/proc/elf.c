/*
 * ELF64 validation: from a file's headers to a load plan execve can trust.
 *
 * The file is hostile until proven otherwise, so every field that later code
 * would use to index, size or place something is checked here, once, with
 * arithmetic that cannot wrap: every user address and size is first bounded
 * by ELF_USER_TOP (2^47), so sums of two of them stay far below 2^64. The
 * checks run in file order: the ELF header, then each program header as it
 * is read (one at a time, so nothing is allocated and the stack stays small),
 * then the facts that need all of them (bias, entry, AT_PHDR).
 *
 * Choices, each stricter than or equal to Linux:
 * - W^X: a PT_LOAD that is both writable and executable is refused, so no
 *   user page is ever both. (Linux would map it RWX.)
 * - PT_LOAD entries must be in ascending p_vaddr order, as the gABI demands,
 *   and may not share a page: each page gets one set of rights.
 * - p_vaddr and p_offset must be congruent modulo the page size, as mmap
 *   would need, so a later loader may map file pages directly.
 * - Only static executables run: ET_EXEC, or ET_DYN without PT_INTERP
 *   (static-PIE, placed at ELF_PIE_BASE). Anything with PT_INTERP needs a
 *   dynamic linker Ember does not have.
 * - Empty PT_LOADs (p_memsz 0) are skipped, as Linux maps nothing for them.
 *
 * Context: task (the read callback may sleep). No locks, no allocation.
 * Portable: also built into tests/host/test_elf.c.
 * See: docs/syscalls.md
 */
#include "proc/elf.h"

#include <ember/errno.h>

#include "lib/portable.h"

/* What the first pass over the program headers collects. */
struct elf_scan {
    uint64_t max_align; /* largest p_align among PT_LOADs, at least a page */
    bool has_phdr;      /* a PT_PHDR was seen */
    uint64_t phdr_vaddr;
};

/* Logs why the file is refused and returns -ENOEXEC. */
static int refuse(const struct elf_source *src, const char *why)
{
    klog(LOG_WARN, "elf: %s: not executable: %s", src->name ? src->name : "?",
         why);
    return -ENOEXEC;
}

/* The same, with the offending value. */
static int refuse_val(const struct elf_source *src, const char *why,
                      uint64_t val)
{
    klog(LOG_WARN, "elf: %s: not executable: %s (%#lx)",
         src->name ? src->name : "?", why, (unsigned long)val);
    return -ENOEXEC;
}

/* True if [off, off + len) lies inside a file of `size` bytes, without wrap. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static uint64_t page_down(uint64_t a)
{
    return a & ~(ELF_PAGE_SIZE - 1);
}

/* Callers pass values below 2^48, so this cannot wrap. */
static uint64_t page_up(uint64_t a)
{
    return page_down(a + ELF_PAGE_SIZE - 1);
}

static int check_ident(const struct elf_source *src,
                       const struct elf64_ehdr *eh)
{
    const uint8_t *id = eh->e_ident;

    if (id[0] != ELF_MAG0 || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return refuse(src, "bad magic (not an ELF file)");
    if (id[ELF_EI_CLASS] != ELF_CLASS64)
        return refuse_val(src, "not ELFCLASS64", id[ELF_EI_CLASS]);
    if (id[ELF_EI_DATA] != ELF_DATA2LSB)
        return refuse_val(src, "not little endian", id[ELF_EI_DATA]);
    if (id[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
        return refuse_val(src, "unknown ELF version", eh->e_version);
    if (id[ELF_EI_OSABI] != ELF_OSABI_SYSV && id[ELF_EI_OSABI] != ELF_OSABI_GNU)
        return refuse_val(src, "foreign OS ABI", id[ELF_EI_OSABI]);
    return 0;
}

/* The ELF header's own fields and the two tables it points at. */
static int check_ehdr(const struct elf_source *src, const struct elf64_ehdr *eh)
{
    int err = check_ident(src, eh);
    if (err < 0)
        return err;
    if (eh->e_machine != ELF_EM_X86_64)
        return refuse_val(src, "not an x86_64 program", eh->e_machine);
    if (eh->e_type != ELF_ET_EXEC && eh->e_type != ELF_ET_DYN)
        return refuse_val(src, "not an executable (e_type)", eh->e_type);
    if (eh->e_ehsize != sizeof(struct elf64_ehdr))
        return refuse_val(src, "bad e_ehsize", eh->e_ehsize);
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        return refuse_val(src, "bad e_phentsize", eh->e_phentsize);
    if (eh->e_phnum == 0)
        return refuse(src, "no program headers");
    if (eh->e_phnum > ELF_MAX_PHNUM)
        return refuse_val(src, "too many program headers", eh->e_phnum);
    uint64_t ph_len = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
    if (!in_file(eh->e_phoff, ph_len, src->size))
        return refuse_val(src, "program headers past end of file", eh->e_phoff);

    /* e_shoff 0 means no section table; e_shnum 0 with a table means the
     * real count is in section 0 (extended numbering), so one must fit. */
    if (eh->e_shoff != 0) {
        if (eh->e_shentsize != ELF64_SHDR_SIZE)
            return refuse_val(src, "bad e_shentsize", eh->e_shentsize);
        uint64_t n = eh->e_shnum ? eh->e_shnum : 1;
        if (!in_file(eh->e_shoff, n * ELF64_SHDR_SIZE, src->size))
            return refuse_val(src, "section headers past end of file",
                              eh->e_shoff);
    }
    if (eh->e_entry >= ELF_USER_TOP)
        return refuse_val(src, "entry point in the kernel half", eh->e_entry);
    return 0;
}

/* One PT_LOAD: sizes, alignment, rights, order; appended unbiased. */
static int add_load(const struct elf_source *src, const struct elf64_phdr *ph,
                    struct elf_plan *plan, struct elf_scan *scan)
{
    if (ph->p_filesz > ph->p_memsz)
        return refuse_val(src, "segment p_filesz > p_memsz", ph->p_filesz);
    if (ph->p_vaddr >= ELF_USER_TOP || ph->p_memsz >= ELF_USER_TOP ||
        ph->p_vaddr + ph->p_memsz > ELF_USER_TOP)
        return refuse_val(src, "segment beyond the user half", ph->p_vaddr);
    if (ph->p_memsz == 0)
        return 0;
    if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)) != 0)
        return refuse_val(src, "p_align not a power of two", ph->p_align);
    if (ph->p_align > ELF_MAX_ALIGN)
        return refuse_val(src, "p_align too large", ph->p_align);
    if ((ph->p_vaddr - ph->p_offset) % ELF_PAGE_SIZE != 0)
        return refuse_val(src, "p_vaddr and p_offset differ mod page size",
                          ph->p_vaddr);
    if ((ph->p_flags & ELF_PF_W) && (ph->p_flags & ELF_PF_X))
        return refuse_val(src, "segment both writable and executable (W^X)",
                          ph->p_vaddr);
    if (plan->nsegs > 0) {
        const struct elf_segment *prev = &plan->seg[plan->nsegs - 1];
        if (page_down(ph->p_vaddr) < page_up(prev->vaddr + prev->memsz))
            return refuse_val(src, "PT_LOAD overlaps or is out of order",
                              ph->p_vaddr);
    }
    if (plan->nsegs == ELF_MAX_LOADS)
        return refuse(src, "too many PT_LOAD segments");

    struct elf_segment *seg = &plan->seg[plan->nsegs++];
    seg->vaddr = ph->p_vaddr;
    seg->memsz = ph->p_memsz;
    seg->filesz = ph->p_filesz;
    seg->offset = ph->p_offset;
    seg->rights = ((ph->p_flags & ELF_PF_R) ? ELF_SEG_R : 0) |
                  ((ph->p_flags & ELF_PF_W) ? ELF_SEG_W : 0) |
                  ((ph->p_flags & ELF_PF_X) ? ELF_SEG_X : 0);
    if (ph->p_align > scan->max_align)
        scan->max_align = ph->p_align;
    return 0;
}

/* Reads and checks every program header, collecting PT_LOADs. */
static int scan_phdrs(const struct elf_source *src, const struct elf64_ehdr *eh,
                      struct elf_plan *plan, struct elf_scan *scan)
{
    for (uint16_t i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr ph;
        uint64_t off = eh->e_phoff + (uint64_t)i * sizeof ph;
        int err = src->read(src, off, &ph, sizeof ph);
        if (err < 0)
            return err;
        if (!in_file(ph.p_offset, ph.p_filesz, src->size))
            return refuse_val(src, "program header points past end of file",
                              ph.p_offset);
        switch (ph.p_type) {
        case ELF_PT_LOAD:
            err = add_load(src, &ph, plan, scan);
            if (err < 0)
                return err;
            break;
        case ELF_PT_INTERP:
            return refuse(src, "dynamically linked (PT_INTERP); Ember runs "
                               "static and static-PIE programs only");
        case ELF_PT_PHDR:
            if (ph.p_vaddr >= ELF_USER_TOP)
                return refuse_val(src, "PT_PHDR in the kernel half",
                                  ph.p_vaddr);
            scan->has_phdr = true;
            scan->phdr_vaddr = ph.p_vaddr;
            break;
        default:
            break; /* PT_DYNAMIC, PT_TLS, PT_NOTE, PT_GNU_*: nothing more */
        }
    }
    if (plan->nsegs == 0)
        return refuse(src, "no PT_LOAD segment");
    return 0;
}

/*
 * Moves a static-PIE image so that its lowest page lands at ELF_PIE_BASE,
 * rounding down to the largest segment alignment so every segment keeps its
 * alignment. Then checks every final address against the user half.
 */
static int place_segments(const struct elf_source *src,
                          const struct elf64_ehdr *eh, struct elf_plan *plan,
                          const struct elf_scan *scan)
{
    plan->static_pie = eh->e_type == ELF_ET_DYN;
    plan->load_bias = 0;
    if (plan->static_pie) {
        uint64_t lo = plan->seg[0].vaddr & ~(scan->max_align - 1);
        plan->load_bias = ELF_PIE_BASE - lo; /* may wrap; only sums matter */
    }
    for (uint32_t i = 0; i < plan->nsegs; i++) {
        struct elf_segment *seg = &plan->seg[i];
        seg->vaddr += plan->load_bias;
        if (page_down(seg->vaddr) < ELF_USER_BOTTOM)
            return refuse_val(src, "segment below 64 KiB", seg->vaddr);
        if (seg->vaddr >= ELF_USER_TOP ||
            page_up(seg->vaddr + seg->memsz) > ELF_USER_TOP)
            return refuse_val(src, "segment beyond the user half", seg->vaddr);
    }
    plan->image_lo = page_down(plan->seg[0].vaddr);
    const struct elf_segment *last = &plan->seg[plan->nsegs - 1];
    plan->image_hi = page_up(last->vaddr + last->memsz);
    return 0;
}

/* The segment holding [addr, addr + len), or NULL. */
static const struct elf_segment *find_seg(const struct elf_plan *plan,
                                          uint64_t addr, uint64_t len)
{
    for (uint32_t i = 0; i < plan->nsegs; i++) {
        const struct elf_segment *seg = &plan->seg[i];
        if (addr >= seg->vaddr && addr - seg->vaddr <= seg->memsz &&
            len <= seg->memsz - (addr - seg->vaddr))
            return seg;
    }
    return NULL;
}

/* The entry point must be executable; AT_PHDR must point at loaded bytes. */
static int check_entry_and_phdrs(const struct elf_source *src,
                                 const struct elf64_ehdr *eh,
                                 struct elf_plan *plan,
                                 const struct elf_scan *scan)
{
    plan->entry = eh->e_entry + plan->load_bias;
    const struct elf_segment *seg = find_seg(plan, plan->entry, 1);
    if (!seg || !(seg->rights & ELF_SEG_X))
        return refuse_val(src, "entry point outside an executable segment",
                          eh->e_entry);

    plan->phent = eh->e_phentsize;
    plan->phnum = eh->e_phnum;
    uint64_t ph_len = (uint64_t)eh->e_phnum * eh->e_phentsize;
    plan->phdr_addr = 0;
    if (scan->has_phdr) {
        plan->phdr_addr = scan->phdr_vaddr + plan->load_bias;
        if (!find_seg(plan, plan->phdr_addr, ph_len))
            return refuse_val(src, "PT_PHDR outside every PT_LOAD",
                              scan->phdr_vaddr);
        return 0;
    }
    /* No PT_PHDR (usual for -static): find the headers in a segment's
     * file image, as Linux does. */
    for (uint32_t i = 0; i < plan->nsegs; i++) {
        const struct elf_segment *s = &plan->seg[i];
        if (eh->e_phoff >= s->offset && eh->e_phoff - s->offset <= s->filesz &&
            ph_len <= s->filesz - (eh->e_phoff - s->offset)) {
            plan->phdr_addr = s->vaddr + (eh->e_phoff - s->offset);
            break;
        }
    }
    return 0;
}

int elf_plan_load(const struct elf_source *src, struct elf_plan *plan)
{
    struct elf64_ehdr eh;
    struct elf_scan scan = {.max_align = ELF_PAGE_SIZE};

    memset(plan, 0, sizeof *plan);
    if (src->size < sizeof eh)
        return refuse_val(src, "shorter than an ELF header", src->size);
    int err = src->read(src, 0, &eh, sizeof eh);
    if (err < 0)
        return err;
    err = check_ehdr(src, &eh);
    if (err < 0)
        return err;
    err = scan_phdrs(src, &eh, plan, &scan);
    if (err < 0)
        return err;
    err = place_segments(src, &eh, plan, &scan);
    if (err < 0)
        return err;
    return check_entry_and_phdrs(src, &eh, plan, &scan);
}
