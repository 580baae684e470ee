/*
 * Ember's GDT and TSS.
 *
 * In long mode segmentation is mostly off: the code descriptors only say
 * "64-bit" and which ring, the data descriptors barely matter. What does
 * matter is the TSS, which holds the stack pointer loaded on an interrupt
 * from ring 3 (RSP0) and the interrupt stack table. Double fault, NMI and
 * machine check run on IST stacks of their own, so a kernel stack that ran
 * into its guard page still has a good stack to report on, instead of the
 * CPU faulting again and resetting the machine (a triple fault).
 *
 * Locking: written at boot; RSP0 later only by the scheduler with interrupts
 * off.
 * See: docs/boot.md
 */
#include "arch/x86_64/gdt.h"

#include "lib/portable.h"

#define IST_STACK_BYTES 16384

/* Descriptor bits (Intel SDM vol. 3, 3.4.5): present, ring, code/data, long. */
#define SEG_KERNEL_CODE 0x00af9a000000ffffull /* P, DPL0, exec/read, L */
#define SEG_KERNEL_DATA 0x00cf92000000ffffull /* P, DPL0, read/write */
#define SEG_USER_DATA   0x00cff2000000ffffull /* P, DPL3, read/write */
#define SEG_USER_CODE   0x00affa000000ffffull /* P, DPL3, exec/read, L */
#define SEG_TSS_TYPE    0x89ull               /* P, 64-bit TSS (available) */

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");

struct gdtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint64_t gdt[7];
static struct tss tss;
static uint8_t ist_stacks[3][IST_STACK_BYTES] __attribute__((aligned(16)));

static void set_tss_descriptor(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;

    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (SEG_TSS_TYPE << 40) | (((limit >> 16) & 0xf) << 48) |
             (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = SEG_KERNEL_CODE;
    gdt[2] = SEG_KERNEL_DATA;
    gdt[3] = SEG_USER_DATA;
    gdt[4] = SEG_USER_CODE;
    for (int i = 0; i < 3; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_BYTES);
    tss.iomap_base = sizeof tss; /* no I/O permission bitmap */
    set_tss_descriptor();

    struct gdtr gdtr = {.limit = sizeof gdt - 1,
                        .base = (uint64_t)(uintptr_t)gdt};
    /* CS can only be reloaded by a far return; the rest by plain moves. */
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdtr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA),
                       "r"(GDT_TSS)
                     : "rax", "memory");
}

void tss_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}

uint64_t tss_ist_top(int ist)
{
    return tss.ist[ist - 1];
}
