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
 * Context: the trap handlers, interrupts off.
 * See: docs/usermode.md
 */
#include "proc/process.h"

#include <ember/errno.h>
#include <ember/signal.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/log.h"
#include "mm/user_copy.h"
#include "mm/uvm.h"
#include "proc/signal.h"

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
        if (f->cs & 3)
            proc_fault(f, SIGSEGV, addr); /* e.g. a read of kernel memory */
        return false;
    }
    if (f->cs & 3) {
        int err = uvm_fault(p->uvm, addr, write, fetch);
        if (err == -ENOMEM)
            out_of_memory(p, addr);
        if (err < 0)
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
