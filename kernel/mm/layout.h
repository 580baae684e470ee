/*
 * Ember's virtual memory map: where the kernel, the direct map and (later)
 * user space live, and the types for the two kinds of address.
 *
 * All physical memory is mapped at HHDM_BASE (the higher-half direct map),
 * so a physical address becomes a pointer by adding HHDM_BASE: hhdm_ptr() is
 * the only place that does it. The kernel image is linked at KERNEL_VMA.
 * Until the memory manager builds its own tables, boot.S maps the first 4 GiB
 * at both.
 *
 * See: docs/memory.md
 */
#pragma once

#include <stdint.h>

#define KERNEL_VMA      0xffffffff80000000ull
#define HHDM_BASE       0xffff800000000000ull
#define BOOT_HHDM_LIMIT 0x100000000ull /* what boot.S maps: 4 GiB */

/* A physical address: not a pointer until it goes through hhdm_ptr(). */
typedef uint64_t paddr_t;

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
