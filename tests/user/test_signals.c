/*
 * Differential test: user signal handlers, masks, restart and EINTR,
 * faults caught by handlers, alternate stacks, SIGCHLD, timers, stop and
 * continue, and forged signal frames.
 *
 * Every case prints what a program can see of the kernel's signal
 * machinery: which handlers ran and in what order, the mask inside and
 * after a handler, siginfo's fields, a blocking call's result (restarted,
 * or -1 EINTR), the state a forged rt_sigreturn leaves behind. Cases that
 * may kill their process run in a child, and the child's end is printed.
 * Times are guest-clock times and only ever "at least" or order, never a
 * length.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md, docs/signals.md
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ucheck.h"

#define ORDER_MAX   16
#define TICK_US     20000 /* a periodic timer's interval */
#define ALARM_US    50000 /* a one-shot timer */
#define ALT_BYTES   65536
#define PAGE        4096
#define RFLAGS_IF   0x200
#define IOPL_SHIFT  12
#define IOPL_MASK   3
#define KERNEL_CS   0x08
#define FORGED_IOPL 0x3000

static volatile int order[ORDER_MAX], norder;
static volatile sig_atomic_t count, depth, max_depth;
static volatile int seen_code, seen_pid, seen_status, seen_signo;
static volatile uintptr_t seen_addr;
static volatile int in_mask_own, in_mask_extra;
static int tick_pipe[2];

static void note(int v)
{
    if (norder < ORDER_MAX)
        order[norder++] = v;
}

static void print_order(const char *name)
{
    char buf[128] = "";
    for (int i = 0; i < norder; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d",
                 i ? " " : "", order[i]);
    uc_val(name, "%s", buf);
    norder = 0;
}

static void set(int sig, void (*fn)(int), int flags, int extra)
{
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (extra)
        sigaddset(&sa.sa_mask, extra);
    sigaction(sig, &sa, NULL);
}

static void set_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = fn;
    sa.sa_flags = flags | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void block(int how, int sig)
{
    sigset_t s;
    sigemptyset(&s);
    if (sig)
        sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

static int blocked(int sig)
{
    sigset_t s;
    sigprocmask(SIG_SETMASK, NULL, &s);
    return sigismember(&s, sig);
}

/* ---- handlers and their order ---- */

static void on_note(int sig)
{
    note(sig);
}

static void on_mask(int sig)
{
    in_mask_own = blocked(sig);
    in_mask_extra = blocked(SIGUSR2);
    count++;
}

static void basics(void)
{
    set(SIGUSR1, on_note, 0, 0);
    uc_ret("raise with a handler", raise(SIGUSR1));
    print_order("handler ran");
    kill(getpid(), SIGUSR1);
    print_order("kill to self");

    set(SIGUSR2, on_note, 0, 0);
    block(SIG_BLOCK, SIGUSR1);
    block(SIG_BLOCK, SIGUSR2);
    raise(SIGUSR2);
    raise(SIGUSR1);
    print_order("nothing while blocked");
    sigset_t pend;
    sigpending(&pend);
    uc_val("both pending", "%d %d", sigismember(&pend, SIGUSR1),
           sigismember(&pend, SIGUSR2));
    block(SIG_SETMASK, 0);
    print_order("unblocked together: order");

    set(SIGUSR1, on_mask, 0, SIGUSR2);
    raise(SIGUSR1);
    uc_val("mask in handler: own, sa_mask", "%d %d", in_mask_own,
           in_mask_extra);
    uc_val("mask after handler", "%d %d", blocked(SIGUSR1), blocked(SIGUSR2));
    set(SIGUSR1, on_mask, SA_NODEFER, 0);
    raise(SIGUSR1);
    uc_val("SA_NODEFER: own not masked", "%d", in_mask_own);

    struct sigaction old;
    set(SIGUSR1, on_note, SA_RESETHAND, 0);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    uc_val("SA_RESETHAND: back to default", "%d", old.sa_handler == SIG_DFL);
    print_order("SA_RESETHAND ran once");
    set(SIGUSR1, on_note, SA_RESTART, SIGUSR2);
    sigaction(SIGUSR1, NULL, &old);
    uc_val("oldact flags and mask", "%d %d %d", !!(old.sa_flags & SA_RESTART),
           sigismember(&old.sa_mask, SIGUSR2), old.sa_handler == on_note);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

static void on_outer(int sig)
{
    note(sig * 100);
    raise(SIGUSR2);
    note(sig * 100 + 1);
}

static void on_nodefer(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (++count < 3) /* three runs in all, nested or one after another */
        raise(sig);
    depth--;
}

static void nesting(void)
{
    set(SIGUSR1, on_outer, 0, 0);
    set(SIGUSR2, on_note, 0, 0);
    raise(SIGUSR1);
    print_order("nested: outer, inner, outer");
    set(SIGUSR1, on_outer, 0, SIGUSR2);
    raise(SIGUSR1);
    print_order("inner masked: runs after");
    set(SIGUSR1, on_nodefer, SA_NODEFER, 0);
    count = 0;
    raise(SIGUSR1);
    uc_val("SA_NODEFER recursion depth", "%d", max_depth);
    set(SIGUSR1, on_nodefer, 0, 0);
    max_depth = 0;
    count = 0;
    raise(SIGUSR1);
    uc_val("deferred: depth, runs", "%d %d", max_depth, count);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

/* ---- siginfo ---- */

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    seen_signo = sig == si->si_signo;
    seen_code = si->si_code;
    seen_pid = si->si_pid;
    seen_status = si->si_status;
    seen_addr = (uintptr_t)si->si_addr;
    count++;
}

static void infos(void)
{
    set_info(SIGUSR1, on_info, 0);
    kill(getpid(), SIGUSR1);
    uc_val("kill: signo, code, pid", "%d %d %d", seen_signo, seen_code,
           seen_pid == getpid());
    syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
    uc_val("tgkill: code", "%d", seen_code);
    signal(SIGUSR1, SIG_DFL);
}

/* ---- restart and EINTR ---- */

static void on_tick(int sig)
{
    (void)sig;
    if (++count == 2)
        write(tick_pipe[1], "t", 1);
}

static void start_ticks(void)
{
    struct itimerval it = {{0, TICK_US}, {0, TICK_US}};
    count = 0;
    setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_ticks(void)
{
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void restarts(void)
{
    char c;
    pipe(tick_pipe);
    set(SIGALRM, on_tick, SA_RESTART, 0);
    start_ticks();
    uc_ret("SA_RESTART: read restarted", read(tick_pipe[0], &c, 1));
    stop_ticks();
    uc_val("after the second tick", "%d", count >= 2);

    set(SIGALRM, on_tick, 0, 0);
    start_ticks();
    uc_ret("no SA_RESTART: read", read(tick_pipe[0], &c, 1));
    stop_ticks();
    uc_val("after one tick", "%d", count >= 1);

    set(SIGALRM, on_tick, SA_RESTART, 0);
    start_ticks();
    struct timespec ts = {5, 0};
    uc_ret("nanosleep, even with SA_RESTART", nanosleep(&ts, NULL));
    int q[2];
    pipe(q); /* nothing ever comes: only a signal ends the wait */
    struct pollfd pf = {.fd = q[0], .events = POLLIN};
    uc_ret("poll, even with SA_RESTART", poll(&pf, 1, -1));
    stop_ticks();
    close(q[0]);
    close(q[1]);
    close(tick_pipe[0]);
    close(tick_pipe[1]);

    int p[2];
    pipe(p);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    set(SIGALRM, on_tick, SA_RESTART, 0);
    start_ticks();
    int st;
    count = 5;
    uc_ret("wait4 restarted", waitpid(pid, &st, WNOHANG) == 0);
    kill(pid, SIGTERM);
    uc_ret("wait4 gets the child", waitpid(pid, &st, 0) == pid);
    stop_ticks();
    uc_status("child", st);
    close(p[0]);
    close(p[1]);

    set(SIGALRM, on_tick, 0, 0);
    struct itimerval it = {{0, 0}, {0, ALARM_US}};
    setitimer(ITIMER_REAL, &it, NULL);
    uc_ret("pause", pause());
    uc_ret("alarm first", alarm(2));
    uc_ret("alarm again", alarm(0));
    getitimer(ITIMER_REAL, &it);
    uc_val("disarmed", "%ld", (long)it.it_value.tv_usec);
    uc_ret("setitimer ITIMER_REAL bad usec",
           setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 2000000}},
                     NULL));
    signal(SIGALRM, SIG_DFL);
}

/* ---- faults ---- */

static volatile char *volatile fix_page;
static sigjmp_buf fpe_jump;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    seen_signo = sig;
    seen_code = si->si_code;
    seen_addr = (uintptr_t)si->si_addr;
    mprotect((void *)fix_page, PAGE, PROT_READ | PROT_WRITE);
}

static void on_fpe(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    seen_signo = sig;
    seen_code = si->si_code;
    siglongjmp(fpe_jump, 1);
}

static void fault_in_handler(void)
{
    set_info(SIGSEGV, on_segv, SA_NODEFER);
    fix_page = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fix_page[0] = 42;
    uc_val("SIGSEGV fixed and returned", "%d %d %d %d", fix_page[0], seen_signo,
           seen_code, seen_addr == (uintptr_t)fix_page);
    volatile int zero = 0;
    set_info(SIGFPE, on_fpe, 0);
    if (sigsetjmp(fpe_jump, 1) == 0) {
        volatile int r = 7 / zero;
        (void)r;
        uc_val("SIGFPE", "not raised");
    } else {
        uc_val("SIGFPE handled", "%d %d %d", seen_signo, seen_code,
               blocked(SIGFPE));
    }
    signal(SIGSEGV, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
}

static void segv_blocked(void)
{
    set_info(SIGSEGV, on_segv, 0);
    block(SIG_BLOCK, SIGSEGV);
    *(volatile int *)0 = 1; /* blocked: kills, as on Linux */
}

static void handler_no_restorer(void)
{
    /* A raw rt_sigaction without SA_RESTORER: no way back, so SIGSEGV. */
    struct {
        void (*h)(int);
        unsigned long flags;
        void (*r)(void);
        unsigned long mask;
    } ka = {on_note, 0, NULL, 0};
    syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
    raise(SIGUSR1);
}

/* ---- the alternate stack ---- */

static char alt[ALT_BYTES] __attribute__((aligned(16)));
static volatile int on_alt, alt_flag;
static sigjmp_buf overflow_jump;

static void on_altstack(int sig)
{
    (void)sig;
    char here;
    on_alt = &here > alt && &here < alt + sizeof alt;
    stack_t now;
    sigaltstack(NULL, &now);
    alt_flag = now.ss_flags;
}

static void on_overflow(int sig)
{
    (void)sig;
    siglongjmp(overflow_jump, 1);
}

static volatile int deeper = 1; /* always 1: hides the endless recursion */

static int recurse(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    return deeper ? recurse(n + 1) + pad[0] : 0;
}

static void altstacks(void)
{
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt}, old;
    uc_ret("sigaltstack", sigaltstack(&ss, &old));
    uc_val("old: disabled", "%d", old.ss_flags == SS_DISABLE);
    set(SIGUSR1, on_altstack, SA_ONSTACK, 0);
    raise(SIGUSR1);
    uc_val("SA_ONSTACK: on it, flag", "%d %d", on_alt, alt_flag);
    set(SIGUSR1, on_altstack, 0, 0);
    raise(SIGUSR1);
    uc_val("without SA_ONSTACK", "%d %d", on_alt, alt_flag);
    ss.ss_size = 100;
    uc_ret("too small", sigaltstack(&ss, NULL));
    ss.ss_size = sizeof alt;
    ss.ss_flags = 4;
    uc_ret("bad flags", sigaltstack(&ss, NULL));
    signal(SIGUSR1, SIG_DFL);
}

static void overflow_child(void)
{
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    sigaltstack(&ss, NULL);
    set(SIGSEGV, on_overflow, SA_ONSTACK, 0);
    if (sigsetjmp(overflow_jump, 1) == 0)
        recurse(0);
    _exit(7);
}

static void overflow_no_altstack(void)
{
    set(SIGSEGV, on_overflow, 0, 0); /* no stack to run it on */
    if (sigsetjmp(overflow_jump, 1) == 0)
        recurse(0);
    _exit(7);
}

/* ---- children ---- */

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    on_info(sig, si, uc);
}

static void children(void)
{
    set_info(SIGCHLD, on_chld, 0);
    block(SIG_BLOCK, SIGCHLD);
    count = 0;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    sigset_t none;
    sigemptyset(&none);
    uc_ret("sigsuspend", sigsuspend(&none));
    uc_val("SIGCHLD: code, pid, status", "%d %d %d", seen_code, seen_pid == pid,
           seen_status);
    uc_val("mask back after sigsuspend", "%d", blocked(SIGCHLD));
    int st;
    waitpid(pid, &st, 0);
    uc_status("child", st);

    pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGSTOP);
    uc_ret("WUNTRACED", waitpid(pid, &st, WUNTRACED) == pid);
    uc_val("stopped by", "%d %d", WIFSTOPPED(st), WSTOPSIG(st));
    sigsuspend(&none);
    uc_val("SIGCHLD for the stop", "%d %d", seen_code, seen_status);
    kill(pid, SIGCONT);
    uc_ret("WCONTINUED", waitpid(pid, &st, WCONTINUED) == pid);
    uc_val("continued", "%d", WIFCONTINUED(st));
    sigsuspend(&none);
    uc_val("SIGCHLD for the continue", "%d %d", seen_code, seen_status);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    uc_status("then killed", st);
    block(SIG_UNBLOCK, SIGCHLD);
    signal(SIGCHLD, SIG_DFL);

    set(SIGUSR1, on_note, 0, 0);
    block(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    sigset_t want;
    sigemptyset(&want);
    sigaddset(&want, SIGUSR1);
    siginfo_t si;
    uc_ret("sigtimedwait takes it", sigtimedwait(&want, &si, NULL));
    uc_val("its code", "%d", si.si_code);
    print_order("and no handler ran");
    struct timespec ts = {0, ALARM_US * 1000};
    uc_ret("sigtimedwait times out", sigtimedwait(&want, &si, &ts));
    block(SIG_UNBLOCK, SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
}

/* ---- forged frames ---- */

/* Linux's kernel ucontext for x86_64: what rt_sigreturn reads at RSP. */
struct forged_uc {
    uint64_t flags, link;
    uint64_t ss_sp;
    int32_t ss_flags, pad;
    uint64_t ss_size;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
    uint64_t rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
    uint64_t sigmask;
};

static char forged_stack[PAGE] __attribute__((aligned(16)));
static struct forged_uc forged __attribute__((aligned(16)));

static void after_forged(void)
{
    uint64_t fl;
    uint16_t cs;
    __asm__ volatile("pushfq; popq %0" : "=r"(fl));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    /* The result file is shared with the parent: write, then leave. */
    uc_val("forged: rpl, iopl, if, rbx", "%d %d %d %lx", cs & 3,
           (int)(fl >> IOPL_SHIFT) & IOPL_MASK, !!(fl & RFLAGS_IF),
           (unsigned long)forged.rbx);
    uc_flush();
    _exit(0);
}

static void sigreturn_with(struct forged_uc *uc)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "mov %1, %%eax\n\t"
                     "syscall"
                     :
                     : "r"(uc), "i"(SYS_rt_sigreturn)
                     : "memory");
    __builtin_unreachable();
}

static void forge(uint64_t rip, uint16_t cs, uint64_t eflags)
{
    memset(&forged, 0, sizeof forged);
    forged.rip = rip;
    forged.rsp = (uint64_t)(forged_stack + sizeof forged_stack - 8);
    forged.cs = cs;
    forged.ss = KERNEL_CS + 8;
    forged.eflags = eflags;
    forged.rbx = 0x1234;
}

static void forged_privileged(void)
{
    forge((uint64_t)after_forged, KERNEL_CS, FORGED_IOPL); /* IF off */
    sigreturn_with(&forged);
}

static void forged_iopl(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    forge((uint64_t)after_forged, cs, FORGED_IOPL); /* IOPL 3, IF off */
    forged.ss = 0;
    sigreturn_with(&forged);
}

static void forged_noncanonical(void)
{
    forge(0x8000000000001000ull, KERNEL_CS, 0);
    sigreturn_with(&forged);
}

static void forged_unmapped(void)
{
    sigreturn_with((struct forged_uc *)0x100000000000ull);
}

static void forged_garbage(void)
{
    memset(&forged, 0xff, sizeof forged);
    forged.fpstate = (uint64_t)forged_stack; /* MXCSR all ones */
    memset(forged_stack, 0xff, sizeof forged_stack);
    sigreturn_with(&forged);
}

static void child_case(const char *name, void (*fn)(void))
{
    uc_child(name, fn);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    basics();
    nesting();
    infos();
    restarts();
    fault_in_handler();
    child_case("fault with the signal blocked", segv_blocked);
    child_case("handler without SA_RESTORER", handler_no_restorer);
    altstacks();
    child_case("stack overflow on the alternate stack", overflow_child);
    child_case("stack overflow without one", overflow_no_altstack);
    children();
    child_case("forged privileged frame", forged_privileged);
    child_case("forged IOPL 3, IF off", forged_iopl);
    child_case("forged non-canonical RIP", forged_noncanonical);
    child_case("forged frame at an unmapped address", forged_unmapped);
    child_case("forged garbage frame", forged_garbage);
    return uc_close();
}
