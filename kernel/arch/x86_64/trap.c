/*
 * Trap dispatch and the exception report.
 *
 * trap_dispatch() looks the vector up in a table of handlers. Drivers and
 * the memory manager register theirs (the timer, the keyboard, the page-fault
 * handler); a CPU exception with no handler - or whose handler declined it -
 * is a kernel bug, so it gets the full report and a panic, unless it came
 * from ring 3: then it goes to the user ops kernel/proc/ registered, which
 * turn it into a signal (the trap layer names no process). The report is
 * what a developer needs to find the bug without a debugger: the exception's
 * name and error code, every register, CR2 and the decoded page-fault cause,
 * and a backtrace with function names.
 *
 * Locking: the handler table is written at boot, read in interrupts.
 * Context: interrupt.
 * See: docs/interrupts.md
 */
#include "arch/x86_64/trap.h"

#include "arch/x86_64/cpu.h"
#include "lib/ksyms.h"
#include "lib/kprintf.h"
#include "lib/log.h"
#include "lib/panic.h"

#define TRAP_VECTORS    256
#define TRAP_EXCEPTIONS 32

static trap_handler_fn handlers[TRAP_VECTORS];
static const struct trap_user_ops *user_ops; /* set at boot */

static const char *const exception_names[TRAP_EXCEPTIONS] = {
    [TRAP_DIVIDE] = "Divide Error (#DE)",
    [TRAP_DEBUG] = "Debug (#DB)",
    [TRAP_NMI] = "Non-Maskable Interrupt (NMI)",
    [TRAP_BREAKPOINT] = "Breakpoint (#BP)",
    [TRAP_OVERFLOW] = "Overflow (#OF)",
    [TRAP_BOUND] = "BOUND Range Exceeded (#BR)",
    [TRAP_INVALID_OP] = "Invalid Opcode (#UD)",
    [TRAP_NO_DEVICE] = "Device Not Available (#NM)",
    [TRAP_DOUBLE_FAULT] = "Double Fault (#DF)",
    [TRAP_COPROC_OVERRUN] = "Coprocessor Segment Overrun",
    [TRAP_INVALID_TSS] = "Invalid TSS (#TS)",
    [TRAP_NOT_PRESENT] = "Segment Not Present (#NP)",
    [TRAP_STACK_FAULT] = "Stack-Segment Fault (#SS)",
    [TRAP_GP] = "General Protection (#GP)",
    [TRAP_PAGE_FAULT] = "Page Fault (#PF)",
    [TRAP_X87_FP] = "x87 Floating-Point Error (#MF)",
    [TRAP_ALIGNMENT] = "Alignment Check (#AC)",
    [TRAP_MACHINE_CHK] = "Machine Check (#MC)",
    [TRAP_SIMD_FP] = "SIMD Floating-Point Exception (#XM)",
    [TRAP_VIRT] = "Virtualization Exception (#VE)",
    [TRAP_CONTROL_PROT] = "Control Protection (#CP)",
    [TRAP_HV_INJECTION] = "Hypervisor Injection (#HV)",
    [TRAP_VMM_COMM] = "VMM Communication (#VC)",
    [TRAP_SECURITY] = "Security Exception (#SX)",
};

const char *trap_name(uint64_t vector)
{
    if (vector < TRAP_EXCEPTIONS)
        return exception_names[vector] ? exception_names[vector]
                                       : "Reserved exception";
    return "Interrupt";
}

void trap_register(uint8_t vector, trap_handler_fn fn)
{
    handlers[vector] = fn;
}

void trap_set_user_ops(const struct trap_user_ops *ops)
{
    user_ops = ops;
}

void trap_before_user_return(struct trap_frame *f)
{
    if (user_ops)
        user_ops->before_return(f);
}

static void print_sym(const char *label, uint64_t addr)
{
    uint64_t off;
    const char *name = ksyms_lookup(addr, &off);
    if (name)
        kprintf("  %-6s %016lx  <%s+0x%lx>\n", label, (unsigned long)addr, name,
                (unsigned long)off);
    else
        kprintf("  %-6s %016lx\n", label, (unsigned long)addr);
}

static void print_page_fault_cause(uint64_t err)
{
    kprintf("  cause: %s, %s, %s mode%s\n",
            err & PF_PRESENT ? "protection violation" : "page not present",
            err & PF_FETCH   ? "instruction fetch"
            : err & PF_WRITE ? "write"
                             : "read",
            err & PF_USER ? "user" : "kernel",
            err & PF_RSVD ? ", reserved bit set" : "");
}

void trap_report(const struct trap_frame *f)
{
    kprintf("\nEXCEPTION: %s, vector %lu, error code 0x%lx\n",
            trap_name(f->vector), (unsigned long)f->vector,
            (unsigned long)f->error);
    if (f->vector == TRAP_PAGE_FAULT) {
        kprintf("  CR2    %016lx\n", (unsigned long)read_cr2());
        print_page_fault_cause(f->error);
    }
    print_sym("RIP", f->rip);
    kprintf("  RSP    %016lx  RFLAGS %016lx\n", (unsigned long)f->rsp,
            (unsigned long)f->rflags);
    kprintf("  CS     %04lx              SS     %04lx\n", (unsigned long)f->cs,
            (unsigned long)f->ss);
    kprintf("  RAX    %016lx  RBX    %016lx  RCX    %016lx\n",
            (unsigned long)f->rax, (unsigned long)f->rbx,
            (unsigned long)f->rcx);
    kprintf("  RDX    %016lx  RSI    %016lx  RDI    %016lx\n",
            (unsigned long)f->rdx, (unsigned long)f->rsi,
            (unsigned long)f->rdi);
    kprintf("  RBP    %016lx  R8     %016lx  R9     %016lx\n",
            (unsigned long)f->rbp, (unsigned long)f->r8, (unsigned long)f->r9);
    kprintf("  R10    %016lx  R11    %016lx  R12    %016lx\n",
            (unsigned long)f->r10, (unsigned long)f->r11,
            (unsigned long)f->r12);
    kprintf("  R13    %016lx  R14    %016lx  R15    %016lx\n",
            (unsigned long)f->r13, (unsigned long)f->r14,
            (unsigned long)f->r15);
    backtrace_print(f->rip, f->rbp);
}

void trap_dispatch(struct trap_frame *f)
{
    trap_handler_fn fn = handlers[f->vector];

    if (fn) {
        fn(f);
    } else if (f->vector < TRAP_EXCEPTIONS && (f->cs & 3) && user_ops) {
        user_ops->fault(f);
    } else if (f->vector < TRAP_EXCEPTIONS) {
        trap_report(f);
        panic("unhandled %s in %s mode", trap_name(f->vector),
              (f->cs & 3) ? "user" : "kernel");
    } else {
        klog(LOG_WARN, "trap: unexpected interrupt on vector %lu",
             (unsigned long)f->vector);
    }
    /* Every way back to ring 3 passes here or the syscall exit. */
    if (f->cs & 3)
        trap_before_user_return(f);
}
