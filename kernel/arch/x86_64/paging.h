/*
 * x86_64 page-table entries: the bits the MMU reads, and the table shape.
 *
 * Four levels (PML4, PDPT, PD, PT) of 512 eight-byte entries each; every
 * level takes 9 bits of the virtual address. An entry holds a 4 KiB-aligned
 * physical address and the flags below. PTE_HUGE in a PDPT entry makes it a
 * 1 GiB page, in a PD entry a 2 MiB page. Intel SDM vol. 3, 4.5, tables
 * 4-15 to 4-20, is the source for every bit here. kernel/mm/vmm.c is the
 * only user; its public flags (VMM_*) are these same bits.
 *
 * See: docs/memory.md
 */
#pragma once

#include <stdint.h>

#define PTE_PRESENT       (1ull << 0)
#define PTE_WRITABLE      (1ull << 1)
#define PTE_USER          (1ull << 2)
#define PTE_WRITE_THROUGH (1ull << 3)
#define PTE_NO_CACHE      (1ull << 4)
#define PTE_ACCESSED      (1ull << 5)
#define PTE_DIRTY         (1ull << 6)
#define PTE_HUGE          (1ull << 7) /* PS: 2 MiB in a PD, 1 GiB in a PDPT */
#define PTE_GLOBAL        (1ull << 8)
#define PTE_AVAIL0        (1ull << 9)  /* ignored by the MMU: ours to use */
#define PTE_AVAIL1        (1ull << 10) /* ignored by the MMU: ours to use */
#define PTE_NO_EXECUTE    (1ull << 63) /* needs EFER.NXE, else reserved */

/* Bits 12..51: the physical address of the frame or the next table. */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#define PAGE_SIZE        4096ull
#define PAGE_SIZE_2M     (1ull << 21)
#define PAGE_SIZE_1G     (1ull << 30)
#define PT_ENTRIES       512
#define PT_INDEX_BITS    9
#define PT_INDEX_MASK    0x1ffull
#define PML4_SHIFT       39
#define PDPT_SHIFT       30
#define PD_SHIFT         21
#define PT_SHIFT         12
#define PML4_KERNEL_HALF 256 /* entries 256..511 map the kernel half */

/* CPUID leaf 0x80000001, EDX (Intel SDM vol. 2A, CPUID). */
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_NX       (1u << 20)
#define CPUID_EXT_PDPE1GB  (1u << 26)

static inline unsigned pt_index(uint64_t vaddr, unsigned shift)
{
    return (unsigned)((vaddr >> shift) & PT_INDEX_MASK);
}
