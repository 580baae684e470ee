/*
 * Faults in user programs: resolve them, or end the program with a report.
 *
 * Pages are supplied on first touch, so most page faults from ring 3 are
 * not errors: uvm_fault() maps a zeroed page, copies a copy-on-write page,
 * or grows the stack. The kernel's own user copies take the same path
 * (kernel/mm/user_copy.c): a copy into a page not yet present just brings
 * it in. What cannot be resolved ends the program with the signal Linux
 * would send - SIGSEGV for a bad address - and one report line:
 *
 *   ember: pid 7 (crash): Page Fault at 0x0 (RIP 0x401234): SIGSEGV
 *
 * Running out of frames during a fault ends the program with SIGKILL and
 * an out-of-memory line (docs/usermode.md states the policy); the kernel
 * itself lives.
 *
 * The trap layer names no process: proc_init() registers the page-fault
 * handler here and proc_trap_ops, whose fault op maps an exception vector
 * to its signal. A page fault this file declines goes down to mm's report
 * (vmm_page_fault_panic()), so the path runs arch -> proc -> mm.
 *
 * Context: the trap handlers, interrupts off.
 * See: docs/usermode.md
 */
#include "proc/process.h"

#include <ember/errno.h>
#include <ember/signal.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "mm/user_copy.h"
#include "mm/uvm.h"
#include "mm/vmm.h"
#include "proc/signal.h"
#include "proc/thread.h"

void proc_fault(struct trap_frame *f, int sig, uint64_t addr)
{
    struct process *p = proc_current();
    kprintf("ember: pid %d (%s): %s at 0x%lx (RIP 0x%lx): %s\n", p->pid,
            p->name, trap_name(f->vector), (unsigned long)addr,
            (unsigned long)f->rip, signal_name(sig));
    sti();
    proc_exit(sig);
}

static void out_of_memory(struct process *p, uint64_t addr)
{
    kprintf("ember: pid %d (%s): out of memory at 0x%lx: killed\n", p->pid,
            p->name, (unsigned long)addr);
    sti();
    proc_exit(SIGKILL);
}

bool proc_page_fault(struct trap_frame *f, uint64_t addr)
{
    struct process *p = proc_current();
    bool write = f->error & PF_WRITE, fetch = f->error & PF_FETCH;

    if (!p || !p->uvm || addr >= USER_TOP) {
        if ((f->cs & 3) && p &&
            signal_fault(thread_current(), SIGSEGV, SEGV_MAPERR, addr))
            return true;
        if (f->cs & 3)
            proc_fault(f, SIGSEGV, addr); /* e.g. a read of kernel memory */
        return false;
    }
    if (f->cs & 3) {
        int err = uvm_fault(p->uvm, addr, write, fetch);
        if (err == -ENOMEM)
            out_of_memory(p, addr);
        /* A region there, without the right: an access error (Linux). */
        int code = uvm_find(p->uvm, addr) ? SEGV_ACCERR : SEGV_MAPERR;
        if (err < 0 && !signal_fault(thread_current(), SIGSEGV, code, addr))
            proc_fault(f, SIGSEGV, addr);
        return true;
    }
    uint64_t fixup = user_copy_fixup(f->rip);
    if (!fixup)
        return false; /* the kernel touched user memory outside a copy */
    if (uvm_fault(p->uvm, addr, write, false) < 0)
        f->rip = fixup; /* the copy returns -EFAULT */
    return true;
}

void proc_page_fault_trap(struct trap_frame *f)
{
    uint64_t addr = read_cr2();
    if (!proc_page_fault(f, addr))
        vmm_page_fault_panic(f, addr);
}

/* The signal a CPU exception in ring 3 becomes, as on Linux. */
static int fault_signal(uint64_t vector)
{
    switch (vector) {
    case TRAP_DIVIDE:
    case TRAP_X87_FP:
    case TRAP_SIMD_FP:
        return SIGFPE;
    case TRAP_DEBUG:
    case TRAP_BREAKPOINT:
        return SIGTRAP;
    case TRAP_INVALID_OP:
        return SIGILL;
    case TRAP_STACK_FAULT:
    case TRAP_ALIGNMENT:
        return SIGBUS;
    default: /* #GP, #PF, #OF, #BR, #NP ... */
        return SIGSEGV;
    }
}

/* The si_code and si_addr Linux gives each exception's signal. */
static int fault_code(uint64_t vector, uint64_t *addr)
{
    switch (vector) {
    case TRAP_DIVIDE:
        return FPE_INTDIV;
    case TRAP_INVALID_OP:
        return ILL_ILLOPN;
    default: /* #GP and the rest: the kernel's, at no address */
        *addr = 0;
        return SI_KERNEL;
    }
}

static void user_exception(struct trap_frame *f)
{
    int sig = fault_signal(f->vector);
    uint64_t addr = f->rip;
    int code = fault_code(f->vector, &addr);
    if (!signal_fault(thread_current(), sig, code, addr))
        proc_fault(f, sig, f->rip);
}

const struct trap_user_ops proc_trap_ops = {
    .fault = user_exception,
    .before_return = signal_deliver,
};
