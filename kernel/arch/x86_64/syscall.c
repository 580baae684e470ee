/*
 * Setting up the two doors into the kernel, and the C side of the entry.
 *
 * SYSCALL is enabled by EFER.SCE and steered by three MSRs: STAR holds the
 * selectors (kernel CS at bits 47:32 - SS is CS + 8; the user base at bits
 * 63:48 - SYSRET takes SS = base + 8 and CS = base + 16, see
 * kernel/arch/x86_64/gdt.h), LSTAR the entry address, and FMASK the RFLAGS
 * bits to clear on entry (IF, so the entry runs with interrupts off until
 * it is on the kernel stack; DF, TF and AC as Linux does). int 0x80 is an
 * ordinary IDT gate opened to ring 3 (DPL 3).
 *
 * The entries call up into the syscall tables (kernel/syscall/dispatch.c):
 * the one way the CPU's door reaches the top floor, listed in
 * tools/check-layers. The step before returning to ring 3 is the trap
 * layer's hook, trap_before_user_return().
 *
 * Locking: syscall_kernel_rsp is written by the scheduler with interrupts
 * off and read by the entry with interrupts off.
 * Context: boot (init), task (the entries).
 * See: docs/usermode.md
 */
#include "arch/x86_64/syscall.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"
#include "syscall/dispatch.h"

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_AC (1ull << 18)

extern uint64_t syscall_kernel_rsp; /* syscall_entry.S */
void syscall_entry(void);
void syscall_from_user(struct trap_frame *f);

void syscall_set_kernel_stack(uint64_t top)
{
    syscall_kernel_rsp = top;
}

/* The seed's door: int 0x80, through an interrupt gate (interrupts off). */
static void seed_trap(struct trap_frame *f)
{
    if ((f->cs & 3) != GDT_RPL_USER)
        return; /* only user programs make the seed's calls */
    sti();
    f->rax = (uint64_t)syscall_seed(f);
    cli();
}

void syscall_from_user(struct trap_frame *f)
{
    /* RAX becomes the result: keep the number where a restart finds it. */
    f->error = f->rax;
    sti();
    f->rax = (uint64_t)syscall_linux(f);
    cli();
    trap_before_user_return(f);
}

void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, (uint64_t)(GDT_KERNEL_DATA | GDT_RPL_USER) << 48 |
                        (uint64_t)GDT_KERNEL_CODE << 32);
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
    trap_register(SYSCALL_SEED_VECTOR, seed_trap);
    idt_allow_user(SYSCALL_SEED_VECTOR);
    /* int3 and into from ring 3 are breakpoints and overflows (SIGTRAP,
     * SIGSEGV), as on Linux, not general protection faults. */
    idt_allow_user(TRAP_BREAKPOINT);
    idt_allow_user(TRAP_OVERFLOW);
}
