/*
 * The IDT: one gate per vector, all 256 pointing at isr.S's stubs.
 *
 * Context: boot.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdint.h>

/* Fills and loads the IDT: interrupt gates, DPL 0, ISTs for #DF, NMI, #MC. */
void idt_init(void);

/* Lets ring 3 raise `vector` with `int` (the seed's int 0x80, int3...). */
void idt_allow_user(uint8_t vector);
