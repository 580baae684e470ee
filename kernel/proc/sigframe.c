/*
 * The signal frame: what a handler finds on its stack, and rt_sigreturn,
 * which takes it down again - in Linux's x86_64 layout, so that musl's
 * and glibc's restorers and any handler reading its ucontext work.
 *
 * From the top of the chosen stack down (the user stack below its 128-byte
 * red zone, or the top of the alternate stack with SA_ONSTACK): the FPU
 * state (512 bytes of FXSAVE, 64-byte aligned), then struct rt_sigframe -
 * the return address (the SA_RESTORER trampoline, which calls
 * rt_sigreturn), the ucontext (flags, link, the alternate stack, the
 * sigcontext with every register, the mask to return to) and the siginfo.
 * The frame starts 8 bytes below a 16-byte boundary, where a function
 * expects its stack after a call, so the handler's own alignment is right.
 *
 * rt_sigreturn trusts nothing in the frame: a program can forge one. CS
 * (and SS with UC_STRICT_RESTORE_SS) must be the user selectors, with any
 * RPL, or the frame is refused (SIGSEGV, which is what Linux's IRETQ fault
 * gives), and otherwise SS is forced to the user's; RFLAGS takes only the bits
 * a program may change (IOPL, IF, VM, NT stay as the kernel keeps them, IF on),
 * RIP must be a canonical user address, the mask loses SIGKILL and SIGSTOP, and
 * the FPU image gets only the MXCSR bits the CPU accepts (fpu_sanitise()) -
 * FXRSTOR would fault in ring 0 on the others.
 *
 * Context: the process's own task, interrupts on (user copies may fault
 * pages in).
 * See: docs/signals.md
 */
#include "proc/signal.h"

#include <ember/errno.h>
#include <ember/limits.h>
#include <ember/signal.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/thread.h"

#define REDZONE_BYTES        128 /* the x86_64 ABI's red zone below RSP */
#define FPSTATE_ALIGN        64  /* Linux aligns the FPU state for XSAVE */
#define STACK_ALIGN          16
#define USER_CS              (GDT_USER_CODE | GDT_RPL_USER)
#define USER_SS              (GDT_USER_DATA | GDT_RPL_USER)
#define CANONICAL_TOP        0x0000800000000000ull /* the lower half's end */
#define UC_SIGCONTEXT_SS     0x2                   /* uc_flags: ss is saved */
#define UC_STRICT_RESTORE_SS 0x4                   /* and restored */

/* RFLAGS bits a program may set (Linux's FIX_EFLAGS). */
#define RFLAGS_USER_BITS                                                       \
    (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF |   \
     RFLAGS_DF | RFLAGS_OF | RFLAGS_RF | RFLAGS_AC)
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_PF (1ull << 2)
#define RFLAGS_AF (1ull << 4)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_SF (1ull << 7)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_OF (1ull << 11)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_AC (1ull << 18)

/* Linux's struct sigcontext (x86_64). */
struct sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
    uint64_t rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* user address of the FXSAVE image, or 0 */
    uint64_t reserved1[8];
};
_Static_assert(sizeof(struct sigcontext) == 256, "Linux sigcontext");

struct ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct linux_stack uc_stack;
    struct sigcontext uc_mcontext;
    uint64_t uc_sigmask;
};
_Static_assert(sizeof(struct ucontext) == 304, "Linux kernel ucontext");

struct rt_sigframe {
    uint64_t pretcode; /* the handler's return address: sa_restorer */
    struct ucontext uc;
    struct linux_siginfo info;
};
_Static_assert(sizeof(struct rt_sigframe) == 440, "Linux rt_sigframe");

bool sigframe_on_altstack(const struct thread *th, uint64_t sp)
{
    const struct linux_stack *ss = &th->sig_altstack;
    return ss->ss_size && sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* The alternate stack as uc_stack and sigaltstack report it. */
static struct linux_stack altstack_now(const struct thread *th, uint64_t sp)
{
    struct linux_stack ss = th->sig_altstack;
    ss.ss_flags = !ss.ss_size                    ? SS_DISABLE
                  : sigframe_on_altstack(th, sp) ? SS_ONSTACK
                                                 : 0;
    return ss;
}

static void save_regs(struct sigcontext *sc, const struct trap_frame *f)
{
    *sc = (struct sigcontext){
        .r8 = f->r8,
        .r9 = f->r9,
        .r10 = f->r10,
        .r11 = f->r11,
        .r12 = f->r12,
        .r13 = f->r13,
        .r14 = f->r14,
        .r15 = f->r15,
        .rdi = f->rdi,
        .rsi = f->rsi,
        .rbp = f->rbp,
        .rbx = f->rbx,
        .rdx = f->rdx,
        .rax = f->rax,
        .rcx = f->rcx,
        .rsp = f->rsp,
        .rip = f->rip,
        .eflags = f->rflags,
        .cs = (uint16_t)f->cs,
        .ss = (uint16_t)f->ss,
    };
    if (f->vector < SYSCALL_SEED_VECTOR) { /* a CPU exception */
        sc->trapno = f->vector;
        sc->err = f->error;
        if (f->vector == TRAP_PAGE_FAULT)
            sc->cr2 = read_cr2();
    }
}

int sigframe_push(struct thread *th, struct trap_frame *f, int sig,
                  const struct kernel_sigaction *act,
                  const struct linux_siginfo *info, uint64_t old_mask)
{
    if (!(act->sa_flags & SA_RESTORER))
        return -EFAULT; /* x86_64 has no kernel trampoline: nowhere to go */
    uint64_t sp = f->rsp - REDZONE_BYTES;
    bool onstack = sigframe_on_altstack(th, f->rsp);
    if ((act->sa_flags & SA_ONSTACK) && th->sig_altstack.ss_size && !onstack)
        sp = th->sig_altstack.ss_sp + th->sig_altstack.ss_size;
    uint64_t fpstate = (sp - FPU_AREA_BYTES) & ~(uint64_t)(FPSTATE_ALIGN - 1);
    uint64_t frame = ((fpstate - sizeof(struct rt_sigframe)) &
                      ~(uint64_t)(STACK_ALIGN - 1)) -
                     sizeof(uint64_t);
    /* Ran off the bottom of the alternate stack: Linux kills, so do we. */
    if (onstack && !sigframe_on_altstack(th, frame))
        return -EFAULT;

    uint8_t fpu[FPU_AREA_BYTES] __attribute__((aligned(FPU_AREA_ALIGN)));
    fpu_save(fpu);
    struct rt_sigframe fr = {.pretcode = act->sa_restorer, .info = *info};
    fr.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    fr.uc.uc_stack = altstack_now(th, f->rsp);
    save_regs(&fr.uc.uc_mcontext, f);
    fr.uc.uc_mcontext.oldmask = old_mask;
    fr.uc.uc_mcontext.fpstate = fpstate;
    fr.uc.uc_sigmask = old_mask;
    if (user_copy_out(fpstate, fpu, sizeof fpu) < 0 ||
        user_copy_out(frame, &fr, sizeof fr) < 0)
        return -EFAULT;

    /* The handler starts with a clean FPU, as on Linux. */
    fpu_init_area(fpu);
    fpu_restore(fpu);
    f->rsp = frame;
    f->rip = act->sa_handler;
    f->rdi = (uint64_t)sig;
    f->rsi = frame + offsetof(struct rt_sigframe, info);
    f->rdx = frame + offsetof(struct rt_sigframe, uc);
    f->rax = 0;
    f->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
    f->cs = USER_CS;
    f->ss = USER_SS;
    return 0;
}

static void load_regs(struct trap_frame *f, const struct sigcontext *sc)
{
    f->r8 = sc->r8;
    f->r9 = sc->r9;
    f->r10 = sc->r10;
    f->r11 = sc->r11;
    f->r12 = sc->r12;
    f->r13 = sc->r13;
    f->r14 = sc->r14;
    f->r15 = sc->r15;
    f->rdi = sc->rdi;
    f->rsi = sc->rsi;
    f->rbp = sc->rbp;
    f->rbx = sc->rbx;
    f->rdx = sc->rdx;
    f->rax = sc->rax;
    f->rcx = sc->rcx;
    f->rsp = sc->rsp;
    f->rip = sc->rip;
    /* The checks that keep a forged frame out of ring 0 and off IOPL. */
    f->rflags = (f->rflags & ~RFLAGS_USER_BITS) |
                (sc->eflags & RFLAGS_USER_BITS) | RFLAGS_IF;
    f->cs = USER_CS;
    f->ss = USER_SS;
}

long sigframe_return(struct thread *th, struct trap_frame *f, bool *bad)
{
    /* The handler's `ret` popped pretcode: the ucontext is at RSP. */
    struct ucontext uc;
    uint8_t fpu[FPU_AREA_BYTES] __attribute__((aligned(FPU_AREA_ALIGN)));
    *bad = true;
    if (user_copy_in(&uc, f->rsp, sizeof uc) < 0)
        return -EFAULT;
    if (uc.uc_mcontext.rip >= CANONICAL_TOP)
        return -EFAULT; /* IRETQ would fault in ring 0 */
    /*
     * Linux ORs RPL 3 into the saved CS (and SS, when the frame asks for a
     * strict restore) and lets IRETQ fault on anything but the user's own
     * selectors, which ends in SIGSEGV; here IRETQ must not fault at all,
     * so those frames are refused before it, with the same result.
     */
    if ((uc.uc_mcontext.cs | GDT_RPL_USER) != USER_CS)
        return -EFAULT;
    if ((uc.uc_flags & UC_STRICT_RESTORE_SS) &&
        (uc.uc_mcontext.ss | GDT_RPL_USER) != USER_SS)
        return -EFAULT;
    if (uc.uc_mcontext.fpstate) {
        if (user_copy_in(fpu, uc.uc_mcontext.fpstate, sizeof fpu) < 0)
            return -EFAULT;
        fpu_sanitise(fpu);
    } else {
        fpu_init_area(fpu);
    }
    *bad = false;
    load_regs(f, &uc.uc_mcontext);
    fpu_restore(fpu);
    th->sig_blocked = uc.uc_sigmask & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
    /* Every register is live again: leave through IRETQ, not SYSRET. */
    f->vector = SYSCALL_FRAME_IRET;
    return (long)f->rax;
}
