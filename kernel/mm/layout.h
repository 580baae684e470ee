/*
 * Ember's virtual memory map: where the kernel, the direct map and user
 * space live, and the types for the two kinds of address.
 *
 * All physical memory is mapped at HHDM_BASE (the higher-half direct map),
 * so a physical address becomes a pointer by adding HHDM_BASE: hhdm_ptr() is
 * the only place that does it. The kernel image is linked at KERNEL_VMA.
 * Until the memory manager builds its own tables (vmm_init()), boot.S maps
 * the first 4 GiB at both.
 *
 * The kernel half (PML4 entries 256..511) is shared by every address space,
 * and each region below owns whole PML4 entries, which vmm_init() creates
 * once; so copying entries 256..511 into a new space shares the kernel half
 * for good.
 *
 *   0x0000000000000000  user space (to USER_TOP, just under 128 TiB), one per
 * process 0xffff800000000000  HHDM: all physical memory (up to 64 TiB)
 *   0xffffc00000000000  kernel heap: grows up from here (up to 512 GiB)
 *   0xffffc08000000000  kernel stacks, each above an unmapped guard page
 *   0xffffffff80000000  the kernel image (text, rodata, data, bss, ksyms)
 *
 * See: docs/memory.md
 */
#pragma once

#include <stdint.h>

#include <ember/limits.h>

#define KERNEL_VMA      0xffffffff80000000ull
#define HHDM_BASE       0xffff800000000000ull
#define BOOT_HHDM_LIMIT 0x100000000ull /* what boot.S maps: 4 GiB */

/* USER_TOP (where the user half ends) is in <ember/limits.h>. */
#define HHDM_LIMIT   0xffffc00000000000ull /* 64 TiB after HHDM_BASE */
#define KHEAP_BASE   0xffffc00000000000ull /* PML4 entry 384 */
#define KHEAP_LIMIT  0xffffc08000000000ull
#define KSTACK_BASE  0xffffc08000000000ull /* PML4 entry 385 */
#define KSTACK_LIMIT 0xffffc10000000000ull

/* A physical address: not a pointer until it goes through hhdm_ptr(). */
typedef uint64_t paddr_t;

/*
 * A user address: never dereferenced by the kernel directly; its memory is
 * reached only through user_copy_* (kernel/mm/user_copy.h), and the user
 * regions that hold it are built by uvm_* (kernel/mm/uvm.h).
 */
typedef uint64_t uaddr_t;

static inline void *hhdm_ptr(paddr_t p)
{
    return (void *)(uintptr_t)(HHDM_BASE + p);
}

/* The physical address of a symbol in the kernel image. */
static inline paddr_t kernel_virt_to_phys(const void *v)
{
    return (paddr_t)((uintptr_t)v - KERNEL_VMA);
}

/* Boundaries of the kernel image, from kernel/arch/x86_64/linker.ld. */
extern char __kernel_start[], __text_end[], __rodata_end[], __data_end[];
extern char __kernel_end[];

/* The boot stack (kernel/arch/x86_64/boot.S) and the page below it. */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];
