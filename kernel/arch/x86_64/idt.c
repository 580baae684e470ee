/*
 * Builds and loads the IDT.
 *
 * Every gate is an interrupt gate (the CPU clears IF on entry), so handlers
 * start with interrupts off and the scheduler decides when to turn them back
 * on. Three vectors get stacks of their own from the TSS's interrupt stack
 * table (kernel/arch/x86_64/gdt.c): double fault, NMI and machine check can
 * arrive when the current stack is unusable.
 *
 * Locking: written at boot only.
 * See: docs/interrupts.md
 */
#include "arch/x86_64/idt.h"

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"

#define IDT_ENTRIES    256
#define GATE_INTERRUPT 0x8e /* P, DPL 0, 64-bit interrupt gate */
#define GATE_DPL_USER  0x60 /* DPL 3: `int n` from ring 3 allowed */

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

struct idtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern const uint64_t isr_stub_table[IDT_ENTRIES];
static struct idt_gate idt[IDT_ENTRIES];

static void set_gate(int v, uint64_t handler, uint8_t ist, uint8_t attr)
{
    idt[v].offset_low = handler & 0xffff;
    idt[v].selector = GDT_KERNEL_CODE;
    idt[v].ist = ist;
    idt[v].type_attr = attr;
    idt[v].offset_mid = (handler >> 16) & 0xffff;
    idt[v].offset_high = (uint32_t)(handler >> 32);
    idt[v].reserved = 0;
}

void idt_init(void)
{
    for (int v = 0; v < IDT_ENTRIES; v++)
        set_gate(v, isr_stub_table[v], 0, GATE_INTERRUPT);
    idt[TRAP_DOUBLE_FAULT].ist = IST_DOUBLE_FAULT;
    idt[TRAP_NMI].ist = IST_NMI;
    idt[TRAP_MACHINE_CHK].ist = IST_MACHINE_CHECK;

    struct idtr idtr = {.limit = sizeof idt - 1,
                        .base = (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void idt_allow_user(uint8_t vector)
{
    idt[vector].type_attr = GATE_INTERRUPT | GATE_DPL_USER;
}
