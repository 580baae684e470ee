/*
 * Hostile instructions: a child that touches kernel memory, executes its
 * stack, heap or data, or runs an instruction ring 3 may not, is killed by
 * the signal Linux would send, and nothing else is harmed.
 *
 * Each case runs in a forked child; the parent checks with waitpid that the
 * child ended by the expected signal (WIFSIGNALED, WTERMSIG) and did not
 * get past the bad instruction (it would exit with NOT_KILLED). Controls
 * run the same way and must exit normally: a `ret` copied into an
 * executable mapping runs, so the no-execute cases test NX and not the way
 * the test calls the buffer. The kernel prints one report line per kill,
 * which tests/system/test_hostile.py counts on the serial port.
 *
 * See: docs/syscalls.md (faults and their signals), tests/user/scheck.h
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheck.h"

#define NOT_KILLED 77
#define RET_OPCODE 0xc3

static volatile uint64_t sink;
static unsigned char data_buf[64] __attribute__((aligned(16)));

static __attribute__((noinline)) void read_at(uintptr_t a)
{
    sink = *(volatile uint64_t *)a;
}

static void write_at(uintptr_t a)
{
    *(volatile uint64_t *)a = 0x5a5a5a5a5a5a5a5aull;
}

static void call_ret_in(unsigned char *buf)
{
    buf[0] = RET_OPCODE;
    __asm__ volatile("" ::: "memory");
    ((void (*)(void))(uintptr_t)buf)();
}

static void read_kernel_text(void)
{
    read_at(0xffffffff80100000ul);
}

static void write_kernel_text(void)
{
    write_at(0xffffffff80100000ul);
}

static void read_kernel_direct_map(void)
{
    read_at(0xffff800000100000ul);
}

static void write_kernel_direct_map(void)
{
    write_at(0xffff800000001000ul);
}

static void read_noncanonical(void)
{
    read_at(0x0000800000000000ul);
}

static void write_null(void)
{
    write_at(0);
}

static void write_own_text(void)
{
    write_at((uintptr_t)&read_at);
}

static void exec_stack(void)
{
    unsigned char buf[16];
    call_ret_in(buf);
}

static void exec_heap(void)
{
    call_ret_in(malloc(64));
}

static void exec_big_heap(void)
{
    call_ret_in(malloc(1 << 20)); /* musl maps this one with mmap */
}

static void exec_data(void)
{
    call_ret_in(data_buf);
}

static void exec_rw_mapping(void)
{
    call_ret_in(mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

static void exec_after_mprotect_rw(void)
{
    unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = RET_OPCODE;
    ((void (*)(void))(uintptr_t)p)(); /* runs: it is executable */
    mprotect(p, 4096, PROT_READ | PROT_WRITE);
    ((void (*)(void))(uintptr_t)p)(); /* must not */
}

static void exec_kernel(void)
{
    ((void (*)(void))0xffffffff80100000ul)();
}

static void control_exec_mapping(void)
{
    call_ret_in(mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

static void control_read_own_data(void)
{
    read_at((uintptr_t)data_buf);
}

static void divide_by_zero(void)
{
    volatile int zero = 0;
    sink = (uint64_t)(100 / zero);
}

static void undefined_opcode(void)
{
    __asm__ volatile("ud2");
}

static void breakpoint(void)
{
    __asm__ volatile("int3");
}

static void privileged_hlt(void)
{
    __asm__ volatile("hlt");
}

static void privileged_cli(void)
{
    __asm__ volatile("cli");
}

static void write_cr3(void)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(0ul));
}

static void port_out_debug_exit(void)
{
    /* QEMU's isa-debug-exit: if this got through, QEMU would end now. */
    __asm__ volatile("outb %%al, %%dx" ::"a"(0x10), "d"(0xf4));
}

static void load_kernel_data_selector(void)
{
    __asm__ volatile("mov %0, %%ds" ::"r"(0x10));
}

static void interrupt_not_for_users(void)
{
    __asm__ volatile("int $0x0e"); /* the page-fault vector: DPL 0 */
}

static void wrmsr_fs_base(void)
{
    __asm__ volatile("wrmsr" ::"c"(0xc0000100), "a"(0), "d"(0));
}

/* Recurses until the stack limit; the volatile bound hides that from gcc. */
static volatile int depth_limit = 1 << 30;

static int depth(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    if (n >= depth_limit)
        return 0;
    return depth(n + 1) + pad[0];
}

static void stack_overflow(void)
{
    sink = (uint64_t)depth(0);
}

/* Runs fn in a child; checks it was killed by sig (0: exited normally). */
static void expect(const char *name, void (*fn)(void), int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(NOT_KILLED);
    }
    int st = 0;
    pid_t got = waitpid(pid, &st, 0);
    if (sig == 0) {
        sc_check(name,
                 got == pid && WIFEXITED(st) && WEXITSTATUS(st) == NOT_KILLED,
                 "status %#x", st);
        return;
    }
    sc_check(name, got == pid && WIFSIGNALED(st) && WTERMSIG(st) == sig,
             "status %#x (%s %d), expected signal %d", st,
             WIFSIGNALED(st) ? "signal" : "exit",
             WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), sig);
}

int main(void)
{
    sc_begin();
    expect("control_exec_mapping_runs", control_exec_mapping, 0);
    expect("control_read_own_data_runs", control_read_own_data, 0);
    expect("read_kernel_text_is_sigsegv", read_kernel_text, SIGSEGV);
    expect("write_kernel_text_is_sigsegv", write_kernel_text, SIGSEGV);
    expect("read_kernel_direct_map_is_sigsegv", read_kernel_direct_map,
           SIGSEGV);
    expect("write_kernel_direct_map_is_sigsegv", write_kernel_direct_map,
           SIGSEGV);
    expect("read_noncanonical_is_sigsegv", read_noncanonical, SIGSEGV);
    expect("write_null_is_sigsegv", write_null, SIGSEGV);
    expect("write_own_text_is_sigsegv", write_own_text, SIGSEGV);
    expect("exec_stack_is_sigsegv", exec_stack, SIGSEGV);
    expect("exec_heap_is_sigsegv", exec_heap, SIGSEGV);
    expect("exec_big_heap_is_sigsegv", exec_big_heap, SIGSEGV);
    expect("exec_data_is_sigsegv", exec_data, SIGSEGV);
    expect("exec_rw_mapping_is_sigsegv", exec_rw_mapping, SIGSEGV);
    expect("exec_after_mprotect_rw_is_sigsegv", exec_after_mprotect_rw,
           SIGSEGV);
    expect("exec_kernel_is_sigsegv", exec_kernel, SIGSEGV);
    expect("divide_by_zero_is_sigfpe", divide_by_zero, SIGFPE);
    expect("ud2_is_sigill", undefined_opcode, SIGILL);
    expect("int3_is_sigtrap", breakpoint, SIGTRAP);
    expect("hlt_is_sigsegv", privileged_hlt, SIGSEGV);
    expect("cli_is_sigsegv", privileged_cli, SIGSEGV);
    expect("mov_cr3_is_sigsegv", write_cr3, SIGSEGV);
    expect("outb_debug_exit_is_sigsegv", port_out_debug_exit, SIGSEGV);
    expect("kernel_selector_in_ds_is_sigsegv", load_kernel_data_selector,
           SIGSEGV);
    expect("int_0x0e_is_sigsegv", interrupt_not_for_users, SIGSEGV);
    expect("wrmsr_is_sigsegv", wrmsr_fs_base, SIGSEGV);
    expect("stack_overflow_is_sigsegv", stack_overflow, SIGSEGV);
    return sc_done();
}
