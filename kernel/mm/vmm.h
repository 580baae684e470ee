/*
 * Virtual memory: Ember's own page tables, address spaces, the direct map
 * and kernel stacks.
 *
 * vmm_init() replaces boot.S's throw-away tables with the kernel's own: the
 * kernel image page by page with the rights each section needs, all physical
 * memory at HHDM_BASE with the largest pages the CPU has, and the top-level
 * entries of the heap and stack regions, so the kernel half never changes
 * shape again and every address space can share it by copying PML4 entries
 * 256..511. An address space is a PML4 whose lower half is its own.
 *
 * The flags of vmm_map() are the hardware's own bits (arch/x86_64/paging.h)
 * under public names. VMM_NO_EXECUTE is dropped on a CPU without NX.
 *
 * Locking: the page tables are guarded by mm_lock (kernel/mm/mm_lock.h).
 * See: docs/memory.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/paging.h"
#include "bootinfo.h"
#include "mm/layout.h"

#define VMM_PRESENT       PTE_PRESENT
#define VMM_WRITABLE      PTE_WRITABLE
#define VMM_USER          PTE_USER
#define VMM_WRITE_THROUGH PTE_WRITE_THROUGH
#define VMM_NO_CACHE      PTE_NO_CACHE
#define VMM_GLOBAL        PTE_GLOBAL
#define VMM_NO_EXECUTE    PTE_NO_EXECUTE
#define VMM_HUGE          PTE_HUGE   /* only reported: a 2 MiB/1 GiB page */
#define VMM_OWNED         PTE_AVAIL0 /* the space owns the frame (below) */
#define VMM_COW           PTE_AVAIL1 /* read-only until written: copy then */

/*
 * An address space. VMM_OWNED pages (those from vmm_map_new()) give their
 * frame back when unmapped or when the space is destroyed; other mappings
 * (device memory, frames shared with someone else) do not.
 */
struct uvm;
struct trap_frame;

struct vmm_space {
    paddr_t pml4;    /* physical address of the top table: what CR3 holds */
    struct uvm *uvm; /* the user regions built on it (mm/uvm.c), or NULL */
};

/*
 * Builds the kernel's page tables, switches to them, turns on global pages,
 * and registers the page-fault handler. Logs the direct map's size and page
 * size. Context: boot, once, after pmm_init().
 */
void vmm_init(const struct bootinfo *bi);

/* The kernel's own space (kernel half only), and the one loaded now. */
struct vmm_space *vmm_kernel_space(void);
struct vmm_space *vmm_current(void);

/*
 * Maps the 4 KiB page at vaddr to `frame` with `flags` (VMM_PRESENT is
 * implied), creating zeroed intermediate tables as needed. Returns 0;
 * -EINVAL for an unaligned or non-canonical address, an unaligned frame,
 * VMM_HUGE, or VMM_USER above USER_TOP; -EEXIST if something is mapped
 * there already; -ENOMEM if a table could not be allocated. Flushes the
 * TLB entry when the change is visible in the loaded space.
 * Context: any.
 */
int vmm_map(struct vmm_space *as, uint64_t vaddr, paddr_t frame,
            uint64_t flags);

/*
 * Allocates a frame, zeroes it and maps it at vaddr with flags |
 * VMM_OWNED. Returns 0 or vmm_map()'s errors (-ENOMEM also when no frame
 * is free); on an error the frame is not kept.
 * Context: any.
 */
int vmm_map_new(struct vmm_space *as, uint64_t vaddr, uint64_t flags);

/*
 * Removes the 4 KiB mapping at vaddr, frees its frame if VMM_OWNED, and
 * flushes the TLB entry when visible in the loaded space. Returns 0;
 * -ENOENT if nothing is mapped there; -EINVAL for a huge page (the direct
 * map is never unmapped) or an unaligned address. Page tables that become
 * empty stay until the space is destroyed.
 * Context: any.
 */
int vmm_unmap(struct vmm_space *as, uint64_t vaddr);

/*
 * Looks vaddr up. Returns 0 with the physical address of that byte in
 * *phys and the leaf entry's flags (VMM_HUGE for a 2 MiB/1 GiB page) in
 * *flags, either of which may be NULL; -ENOENT if it is not mapped.
 * Context: any.
 */
int vmm_translate(struct vmm_space *as, uint64_t vaddr, paddr_t *phys,
                  uint64_t *flags);

/*
 * A new space with an empty lower half and the kernel half shared. Returns
 * NULL when memory is short. Context: task (uses kmalloc).
 */
struct vmm_space *vmm_space_create(void);

/* Loads `as` into CR3. Context: any, interrupts off or not. */
void vmm_space_switch(struct vmm_space *as);

/*
 * Frees every lower-half table of `as`, every VMM_OWNED frame mapped there,
 * the PML4 and `as` itself. Panics if `as` is loaded or is the kernel's.
 * Context: task.
 */
void vmm_space_destroy(struct vmm_space *as);

/*
 * A kernel stack of `pages` pages in the stack region, with an unmapped
 * guard page below it, so an overflow faults instead of corrupting memory.
 * Returns the stack's top (the first address above it), or NULL when memory
 * is short. Context: any.
 */
void *vmm_alloc_kernel_stack(size_t pages);

/* Unmaps and frees a stack from vmm_alloc_kernel_stack(). */
void vmm_free_kernel_stack(void *top, size_t pages);

/*
 * Replaces the flags of the present page at vaddr, keeping its frame.
 * 0, or -ENOENT when nothing is mapped there. Context: any.
 */
int vmm_set_flags(struct vmm_space *as, uint64_t vaddr, uint64_t flags);

/*
 * Fork's copy of the user half: every present page of parent is mapped in
 * child (an empty space from vmm_space_create()) to the same frame, with
 * pmm_share() recording the second owner; writable pages become read-only
 * and VMM_COW in both, so the first write copies (kernel/mm/uvm.c).
 * 0, or -ENOMEM (child then holds a partial copy: destroy it).
 * Context: task.
 */
int vmm_space_fork(struct vmm_space *parent, struct vmm_space *child);

/* Present user pages in the space (for /proc and the tests). */
uint64_t vmm_user_pages(struct vmm_space *as);

/* The direct map's size in bytes and its page size (2 MiB or 1 GiB). */
uint64_t vmm_hhdm_bytes(void);
uint64_t vmm_hhdm_page_size(void);

/*
 * Reports a page fault nobody could resolve (the report, the stack it hit)
 * and panics. The page-fault path of kernel/proc/fault.c ends here for the
 * faults it declines. Interrupts off. Never returns.
 */
void vmm_page_fault_panic(struct trap_frame *f, uint64_t addr)
    __attribute__((noreturn));
