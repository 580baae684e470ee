/*
 * Virtual memory: building the kernel's page tables, mapping and unmapping
 * pages, address spaces, kernel stacks, and the page-fault handler.
 *
 * Every page table is reached through the direct map (hhdm_ptr() of its
 * physical address), so the code never needs a table mapped anywhere else.
 * That has one bootstrapping catch: while vmm_init() builds the new tables,
 * only boot.S's first 4 GiB are mapped, so the tables it allocates must lie
 * there. They do, because the frame allocator's next-fit cursor starts at
 * frame 0 and every machine QEMU can boot has its first free frames low
 * down; new_table() asserts it.
 *
 * The kernel half is built once: the direct map, the kernel image and the
 * top-level entries of the heap and stack regions all exist before the
 * switch, and walk() panics if anything later tries to add a kernel-half
 * PML4 entry, because spaces made earlier would not see it.
 *
 * Locking: all page tables, the current space and the stack region's next
 * free address are guarded by mm_lock (interrupts off).
 * See: docs/memory.md
 */
#include "mm/vmm.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/portable.h"
#include "mm/mm_lock.h"
#include "mm/pmm.h"

#define TABLE_FLAGS (PTE_PRESENT | PTE_WRITABLE) /* leaves decide rights */
#define MAP_FLAGS                                                              \
    (VMM_PRESENT | VMM_WRITABLE | VMM_USER | VMM_WRITE_THROUGH |               \
     VMM_NO_CACHE | VMM_GLOBAL | VMM_OWNED | VMM_COW | VMM_NO_EXECUTE)
#define LEAF_FLAGS        (0xfffull | PTE_NO_EXECUTE) /* flags in an entry */
#define KSTACK_MAX_PAGES  256 /* 1 MiB: anything bigger is a bug */
#define KSTACK_FREE_SLOTS 64  /* freed stack ranges kept for reuse */

/*
 * A freed kernel stack's address range. Reusing ranges keeps the page
 * tables of the stack region from growing with every thread ever created
 * (10,000 create/exit cycles would otherwise cost about 100 page tables).
 */
struct kstack_slot {
    uint64_t guard; /* 0: empty */
    size_t pages;
};

static struct {
    struct vmm_space kernel;   /* set once by vmm_init() */
    struct vmm_space *current; /* guarded by mm_lock */
    uint64_t nx;               /* PTE_NO_EXECUTE, or 0 without NX */
    uint64_t hhdm_bytes;       /* set once by vmm_init() */
    uint64_t hhdm_page;        /* 2 MiB or 1 GiB; set once */
    bool live;                 /* the kernel's own tables are loaded */
    uint64_t next_stack;       /* guarded by mm_lock */
    struct kstack_slot free_stacks[KSTACK_FREE_SLOTS]; /* mm_lock */
} vmm;

/* A freed range of exactly `pages` pages, or 0. Called with mm_lock. */
static uint64_t reuse_stack_range(size_t pages)
{
    for (int i = 0; i < KSTACK_FREE_SLOTS; i++) {
        struct kstack_slot *s = &vmm.free_stacks[i];
        if (s->guard && s->pages == pages) {
            uint64_t guard = s->guard;
            s->guard = 0;
            return guard;
        }
    }
    return 0;
}

static uint64_t *table(paddr_t p)
{
    return hhdm_ptr(p);
}

/* x86_64 addresses have 48 bits; bits 63..47 must all be equal. */
static bool canonical(uint64_t va)
{
    return va < USER_TOP || va >= HHDM_BASE;
}

/* Changes to the kernel half are seen by every space, the rest by one. */
static bool visible_now(const struct vmm_space *as, uint64_t va)
{
    return va >= HHDM_BASE || as == vmm.current;
}

static paddr_t new_table(void)
{
    paddr_t p = pmm_alloc();
    if (p == 0)
        return 0;
    KASSERT(vmm.live || p + PAGE_SIZE <= BOOT_HHDM_LIMIT);
    memset(table(p), 0, PAGE_SIZE);
    return p;
}

/*
 * The PT entry for va, creating missing tables when `create`. NULL with
 * *err = -ENOENT (a table is missing), -ENOMEM, or -EEXIST (a huge page
 * already covers va).
 */
static uint64_t *walk(paddr_t pml4, uint64_t va, bool create, int *err)
{
    uint64_t *t = table(pml4);
    uint64_t user = va < USER_TOP ? PTE_USER : 0;

    for (unsigned shift = PML4_SHIFT; shift > PT_SHIFT;
         shift -= PT_INDEX_BITS) {
        uint64_t *e = &t[pt_index(va, shift)];
        if ((*e & PTE_PRESENT) && (*e & PTE_HUGE)) {
            *err = -EEXIST;
            return NULL;
        }
        if (!(*e & PTE_PRESENT)) {
            if (!create) {
                *err = -ENOENT;
                return NULL;
            }
            if (shift == PML4_SHIFT && !user && vmm.live)
                panic("vmm: new kernel-half PML4 entry for %#lx would not "
                      "be shared by existing spaces",
                      (unsigned long)va);
            paddr_t p = new_table();
            if (p == 0) {
                *err = -ENOMEM;
                return NULL;
            }
            *e = p | TABLE_FLAGS | user;
        }
        t = table(*e & PTE_ADDR_MASK);
    }
    return &t[pt_index(va, PT_SHIFT)];
}

int vmm_map(struct vmm_space *as, uint64_t vaddr, paddr_t frame, uint64_t flags)
{
    if (((vaddr | frame) & (PAGE_SIZE - 1)) || !canonical(vaddr) ||
        (frame & ~PTE_ADDR_MASK) || (flags & ~MAP_FLAGS) ||
        ((flags & VMM_USER) && vaddr >= USER_TOP))
        return -EINVAL;
    if (!vmm.nx)
        flags &= ~VMM_NO_EXECUTE; /* a reserved bit on such CPUs */

    int err = 0;
    uint64_t irq = mm_lock();
    uint64_t *pte = walk(as->pml4, vaddr, true, &err);
    if (pte && (*pte & PTE_PRESENT)) {
        err = -EEXIST;
    } else if (pte) {
        *pte = frame | flags | PTE_PRESENT;
        if (visible_now(as, vaddr))
            invlpg(vaddr);
    }
    mm_unlock(irq);
    return err;
}

int vmm_map_new(struct vmm_space *as, uint64_t vaddr, uint64_t flags)
{
    paddr_t frame = pmm_alloc();
    if (frame == 0)
        return -ENOMEM;
    memset(hhdm_ptr(frame), 0, PAGE_SIZE);
    int err = vmm_map(as, vaddr, frame, flags | VMM_OWNED);
    if (err < 0)
        pmm_free(frame);
    return err;
}

int vmm_unmap(struct vmm_space *as, uint64_t vaddr)
{
    if ((vaddr & (PAGE_SIZE - 1)) || !canonical(vaddr))
        return -EINVAL;

    int err = 0;
    uint64_t entry = 0;
    uint64_t irq = mm_lock();
    uint64_t *pte = walk(as->pml4, vaddr, false, &err);
    if (!pte) {
        err = err == -EEXIST ? -EINVAL : -ENOENT;
    } else if (!(*pte & PTE_PRESENT)) {
        err = -ENOENT;
    } else {
        entry = *pte;
        *pte = 0;
        if (visible_now(as, vaddr))
            invlpg(vaddr);
    }
    mm_unlock(irq);
    if (err == 0 && (entry & VMM_OWNED))
        pmm_free(entry & PTE_ADDR_MASK);
    return err;
}

int vmm_translate(struct vmm_space *as, uint64_t vaddr, paddr_t *phys,
                  uint64_t *flags)
{
    if (!canonical(vaddr))
        return -ENOENT;

    int err = -ENOENT;
    uint64_t irq = mm_lock();
    uint64_t *t = table(as->pml4);
    for (unsigned shift = PML4_SHIFT; shift >= PT_SHIFT;
         shift -= PT_INDEX_BITS) {
        uint64_t e = t[pt_index(vaddr, shift)];
        if (!(e & PTE_PRESENT))
            break;
        if (shift == PT_SHIFT || (e & PTE_HUGE)) {
            uint64_t page = 1ull << shift;
            if (phys)
                *phys =
                    (e & PTE_ADDR_MASK & ~(page - 1)) + (vaddr & (page - 1));
            if (flags)
                *flags = e & LEAF_FLAGS;
            err = 0;
            break;
        }
        t = table(e & PTE_ADDR_MASK);
    }
    mm_unlock(irq);
    return err;
}

/* ---- address spaces ---- */

struct vmm_space *vmm_kernel_space(void)
{
    return &vmm.kernel;
}

struct vmm_space *vmm_current(void)
{
    return vmm.current;
}

struct vmm_space *vmm_space_create(void)
{
    struct vmm_space *as = kmalloc(sizeof *as);
    if (!as)
        return NULL;
    as->uvm = NULL;
    as->pml4 = new_table();
    if (as->pml4 == 0) {
        kfree(as);
        return NULL;
    }
    /* The kernel half never changes after vmm_init(): copy it once. */
    memcpy(table(as->pml4) + PML4_KERNEL_HALF,
           table(vmm.kernel.pml4) + PML4_KERNEL_HALF,
           (PT_ENTRIES - PML4_KERNEL_HALF) * sizeof(uint64_t));
    return as;
}

void vmm_space_switch(struct vmm_space *as)
{
    uint64_t irq = mm_lock();
    vmm.current = as;
    write_cr3(as->pml4);
    mm_unlock(irq);
}

/* Frees a table at `level` (3 = PDPT .. 1 = PT), what hangs below it, and
 * the owned frames its leaves map. */
static void free_tables(paddr_t t, int level)
{
    uint64_t *e = table(t);

    for (int i = 0; i < PT_ENTRIES; i++) {
        if (!(e[i] & PTE_PRESENT))
            continue;
        paddr_t next = e[i] & PTE_ADDR_MASK;
        if (level == 1) {
            if (e[i] & VMM_OWNED)
                pmm_free(next);
        } else if (!(e[i] & PTE_HUGE)) {
            free_tables(next, level - 1);
        }
    }
    pmm_free(t);
}

void vmm_space_destroy(struct vmm_space *as)
{
    if (as == &vmm.kernel || as == vmm.current)
        panic("vmm: destroying the %s address space",
              as == &vmm.kernel ? "kernel's" : "loaded");
    uint64_t *pml4 = table(as->pml4);
    for (int i = 0; i < PML4_KERNEL_HALF; i++) {
        if (pml4[i] & PTE_PRESENT)
            free_tables(pml4[i] & PTE_ADDR_MASK, 3);
    }
    pmm_free(as->pml4);
    kfree(as);
}

int vmm_set_flags(struct vmm_space *as, uint64_t vaddr, uint64_t flags)
{
    if ((vaddr & (PAGE_SIZE - 1)) || !canonical(vaddr) || (flags & ~MAP_FLAGS))
        return -EINVAL;
    if (!vmm.nx)
        flags &= ~VMM_NO_EXECUTE;
    int err = 0;
    uint64_t irq = mm_lock();
    uint64_t *pte = walk(as->pml4, vaddr, false, &err);
    if (!pte || !(*pte & PTE_PRESENT)) {
        err = -ENOENT;
    } else {
        *pte = (*pte & PTE_ADDR_MASK) | flags | PTE_PRESENT;
        if (visible_now(as, vaddr))
            invlpg(vaddr);
    }
    mm_unlock(irq);
    return err;
}

/* Copies one page table's leaves for fork (see vmm_space_fork()). */
static int fork_leaves(uint64_t *pe, uint64_t *ce)
{
    for (int i = 0; i < PT_ENTRIES; i++) {
        uint64_t e = pe[i];
        if (!(e & PTE_PRESENT))
            continue;
        if (e & VMM_OWNED) {
            if (e & PTE_WRITABLE)
                e = (e & ~PTE_WRITABLE) | VMM_COW;
            pe[i] = e;
            pmm_share(e & PTE_ADDR_MASK);
        } else {
            e &= ~VMM_COW; /* a device page: shared as it is */
        }
        ce[i] = e;
    }
    return 0;
}

/* Copies the tables below a parent entry at `level` (3 = PDPT). */
static int fork_tables(paddr_t pt, paddr_t ct, int level)
{
    uint64_t *pe = table(pt), *ce = table(ct);
    if (level == 1)
        return fork_leaves(pe, ce);
    for (int i = 0; i < PT_ENTRIES; i++) {
        if (!(pe[i] & PTE_PRESENT) || (pe[i] & PTE_HUGE))
            continue;
        paddr_t n = new_table();
        if (n == 0)
            return -ENOMEM;
        ce[i] = n | (pe[i] & ~PTE_ADDR_MASK);
        int err = fork_tables(pe[i] & PTE_ADDR_MASK, n, level - 1);
        if (err < 0)
            return err;
    }
    return 0;
}

int vmm_space_fork(struct vmm_space *parent, struct vmm_space *child)
{
    uint64_t *pp = table(parent->pml4), *cp = table(child->pml4);
    int err = 0;

    for (int i = 0; i < PML4_KERNEL_HALF && err == 0; i++) {
        if (!(pp[i] & PTE_PRESENT))
            continue;
        paddr_t n = new_table();
        if (n == 0) {
            err = -ENOMEM;
            break;
        }
        cp[i] = n | (pp[i] & ~PTE_ADDR_MASK);
        err = fork_tables(pp[i] & PTE_ADDR_MASK, n, 3);
    }
    /* The parent's pages just lost their write bit: drop stale TLB entries. */
    if (parent == vmm.current)
        write_cr3(parent->pml4);
    return err;
}

static uint64_t count_pages(paddr_t t, int level)
{
    uint64_t *e = table(t), n = 0;
    for (int i = 0; i < PT_ENTRIES; i++) {
        if (!(e[i] & PTE_PRESENT))
            continue;
        n += level == 1 ? 1 : count_pages(e[i] & PTE_ADDR_MASK, level - 1);
    }
    return n;
}

uint64_t vmm_user_pages(struct vmm_space *as)
{
    uint64_t *pml4 = table(as->pml4), n = 0;
    for (int i = 0; i < PML4_KERNEL_HALF; i++) {
        if (pml4[i] & PTE_PRESENT)
            n += count_pages(pml4[i] & PTE_ADDR_MASK, 3);
    }
    return n;
}

/* ---- kernel stacks ---- */

/*
 * Stacks take addresses from the bottom of their region up; a freed stack's
 * range is kept in free_stacks[] and given to the next stack of its size,
 * so the region's page tables stop growing once threads come and go.
 */
void *vmm_alloc_kernel_stack(size_t pages)
{
    if (pages == 0 || pages > KSTACK_MAX_PAGES)
        return NULL;
    uint64_t span = (pages + 1) * PAGE_SIZE; /* the guard page included */
    uint64_t irq = mm_lock();
    uint64_t guard = reuse_stack_range(pages);
    bool room = true;
    if (!guard) {
        guard = vmm.next_stack;
        room = KSTACK_LIMIT - guard >= span;
        if (room)
            vmm.next_stack += span;
    }
    mm_unlock(irq);
    if (!room)
        return NULL;

    uint64_t bottom = guard + PAGE_SIZE;
    for (size_t i = 0; i < pages; i++) {
        int err = vmm_map_new(&vmm.kernel, bottom + i * PAGE_SIZE,
                              VMM_WRITABLE | VMM_GLOBAL | VMM_NO_EXECUTE);
        if (err < 0) {
            while (i-- > 0)
                vmm_unmap(&vmm.kernel, bottom + i * PAGE_SIZE);
            return NULL;
        }
    }
    return (void *)(uintptr_t)(bottom + pages * PAGE_SIZE);
}

void vmm_free_kernel_stack(void *top, size_t pages)
{
    uint64_t bottom = (uint64_t)(uintptr_t)top - pages * PAGE_SIZE;

    for (size_t i = 0; i < pages; i++) {
        int err = vmm_unmap(&vmm.kernel, bottom + i * PAGE_SIZE);
        if (err < 0)
            panic("vmm: freeing kernel stack page %#lx: error %d",
                  (unsigned long)(bottom + i * PAGE_SIZE), err);
    }
    /* Keep the range for the next stack of this size, if there is room. */
    uint64_t irq = mm_lock();
    for (int i = 0; i < KSTACK_FREE_SLOTS; i++) {
        if (!vmm.free_stacks[i].guard) {
            vmm.free_stacks[i].guard = bottom - PAGE_SIZE;
            vmm.free_stacks[i].pages = pages;
            break;
        }
    }
    mm_unlock(irq);
}

/* ---- page faults ---- */

/*
 * A page fault nobody could resolve: a kernel bug. Report it (address,
 * cause, RIP and backtrace, from trap_report()), name the stack it hit if
 * it hit one, and panic. kernel/proc/fault.c calls this for the faults it
 * declines (the fault path goes arch -> proc -> mm); before proc_init()
 * registers that path, vmm's own handler below calls it for every fault.
 */
void vmm_page_fault_panic(struct trap_frame *f, uint64_t addr)
{
    trap_report(f);
    if (addr >= (uint64_t)(uintptr_t)boot_stack_guard &&
        addr < (uint64_t)(uintptr_t)boot_stack_bottom)
        kprintf("vmm: %#lx is the boot stack's guard page: stack overflow\n",
                (unsigned long)addr);
    else if (addr >= KSTACK_BASE && addr < KSTACK_LIMIT)
        kprintf("vmm: %#lx is in the kernel stack region: a guard page or "
                "a freed stack\n",
                (unsigned long)addr);
    /* The same words as trap_dispatch()'s panic: CR2 is in the report. */
    panic("unhandled %s in %s mode", trap_name(f->vector),
          (f->error & PF_USER) ? "user" : "kernel");
}

static void page_fault(struct trap_frame *f)
{
    vmm_page_fault_panic(f, read_cr2());
}

/* ---- building the kernel's tables ---- */

static void detect_cpu(void)
{
    uint32_t a, b, c, d;

    cpuid(CPUID_EXT_FEATURES, 0, &a, &b, &c, &d);
    if (d & CPUID_EXT_NX) {
        /* boot.S set EFER.NXE on the same CPUID test; make sure. */
        if (!(rdmsr(MSR_EFER) & EFER_NXE))
            wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
        vmm.nx = PTE_NO_EXECUTE;
    }
    vmm.hhdm_page = (d & CPUID_EXT_PDPE1GB) ? PAGE_SIZE_1G : PAGE_SIZE_2M;
}

/*
 * The kernel-space entry for va in the table at level `shift`, creating the
 * tables above it. Boot only: running out of memory here is fatal.
 */
static uint64_t *boot_entry(uint64_t va, unsigned shift)
{
    uint64_t *t = table(vmm.kernel.pml4);

    for (unsigned s = PML4_SHIFT; s > shift; s -= PT_INDEX_BITS) {
        uint64_t *e = &t[pt_index(va, s)];
        if (!(*e & PTE_PRESENT)) {
            paddr_t p = new_table();
            if (p == 0)
                panic("vmm: out of memory building the kernel page tables");
            *e = p | TABLE_FLAGS;
        }
        t = table(*e & PTE_ADDR_MASK);
    }
    return &t[pt_index(va, shift)];
}

/*
 * All of RAM, the framebuffer, and at least the first 4 GiB (where the
 * firmware's tables and the device registers live, as boot.S mapped them),
 * read/write, never executable, global, in the largest pages available.
 */
static void map_direct(const struct bootinfo *bi)
{
    uint64_t top = pmm_memory_top();
    uint64_t page = vmm.hhdm_page;

    if (top < BOOT_HHDM_LIMIT)
        top = BOOT_HHDM_LIMIT;
    if (bi->fb.present) {
        uint64_t fb_end = bi->fb.addr + (uint64_t)bi->fb.pitch * bi->fb.height;
        if (fb_end > top)
            top = fb_end;
    }
    top = (top + page - 1) & ~(page - 1);
    if (top > HHDM_LIMIT - HHDM_BASE)
        panic("vmm: %lu GiB of physical memory is more than the direct map "
              "holds",
              (unsigned long)(top >> 30));
    unsigned shift = page == PAGE_SIZE_1G ? PDPT_SHIFT : PD_SHIFT;
    uint64_t flags =
        PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL | PTE_HUGE | vmm.nx;
    for (uint64_t phys = 0; phys < top; phys += page)
        *boot_entry(HHDM_BASE + phys, shift) = phys | flags;
    vmm.hhdm_bytes = top;
}

/* Each section of the image with its own rights; the guard page left out. */
static void map_image(void)
{
    uint64_t start = (uint64_t)(uintptr_t)__kernel_start;
    uint64_t end = (uint64_t)(uintptr_t)__kernel_end;

    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t flags = PTE_PRESENT | PTE_GLOBAL; /* text: read, execute */
        if (va == (uint64_t)(uintptr_t)boot_stack_guard)
            continue;
        if (va >= (uint64_t)(uintptr_t)__text_end)
            flags |= vmm.nx; /* rodata and .ksyms: read only */
        if (va >= (uint64_t)(uintptr_t)__rodata_end &&
            va < (uint64_t)(uintptr_t)__data_end)
            flags |= PTE_WRITABLE; /* data and bss */
        *boot_entry(va, PT_SHIFT) = (va - KERNEL_VMA) | flags;
    }
}

void vmm_init(const struct bootinfo *bi)
{
    detect_cpu();
    vmm.kernel.pml4 = new_table();
    if (vmm.kernel.pml4 == 0)
        panic("vmm: no frame for the kernel's PML4");
    map_direct(bi);
    map_image();
    /* The regions' top-level entries, so the kernel half is complete. */
    boot_entry(KHEAP_BASE, PDPT_SHIFT);
    boot_entry(KSTACK_BASE, PDPT_SHIFT);

    write_cr3(vmm.kernel.pml4);
    vmm.live = true;
    vmm.current = &vmm.kernel;
    vmm.next_stack = KSTACK_BASE;
    write_cr4(read_cr4() | CR4_PGE); /* global pages survive CR3 loads */
    trap_register(TRAP_PAGE_FAULT, page_fault);

    klog(LOG_INFO,
         "vmm: direct map of %lu MiB with %s pages; kernel text R+X, "
         "rodata R, data RW%s",
         (unsigned long)(vmm.hhdm_bytes >> 20),
         vmm.hhdm_page == PAGE_SIZE_1G ? "1 GiB" : "2 MiB",
         vmm.nx ? "+NX" : " (no NX on this CPU)");
}

uint64_t vmm_hhdm_bytes(void)
{
    return vmm.hhdm_bytes;
}

uint64_t vmm_hhdm_page_size(void)
{
    return vmm.hhdm_page;
}
