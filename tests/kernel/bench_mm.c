/*
 * Benchmarks of the memory manager's hot paths: a frame, a small and a
 * page-sized heap block, and mapping a page.
 *
 * Each runs its operation BENCH_MM_ROUNDS times with interrupts off (so no
 * tick lands inside the measurement) and reports nanoseconds per operation.
 * The free follows the allocation at once, so these are the best cases: a
 * warm free list, a frame next to the cursor, page tables already there.
 *
 * Context: the boot task.
 * See: tests/kernel/README.md, docs/memory.md
 */
#include "kbench.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "lib/portable.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define BENCH_MM_ROUNDS 100000
#define BENCH_MM_VA     0x0000000040000000ull /* a user-half address */

KBENCH(mm_frame_alloc_free)
{
    uint64_t flags = irq_save();
    uint64_t t0 = rdtsc();
    for (int i = 0; i < BENCH_MM_ROUNDS; i++)
        pmm_free(pmm_alloc());
    uint64_t t1 = rdtsc();
    irq_restore(flags);
    kbench_report_ns_per_op("mm_frame_alloc_free", t1 - t0, BENCH_MM_ROUNDS);
}

static void bench_kmalloc(const char *name, size_t size)
{
    kfree(kmalloc(size)); /* the first may grow the heap: not measured */
    uint64_t flags = irq_save();
    uint64_t t0 = rdtsc();
    for (int i = 0; i < BENCH_MM_ROUNDS; i++)
        kfree(kmalloc(size));
    uint64_t t1 = rdtsc();
    irq_restore(flags);
    kbench_report_ns_per_op(name, t1 - t0, BENCH_MM_ROUNDS);
}

KBENCH(mm_kmalloc_64)
{
    bench_kmalloc("mm_kmalloc_64", 64);
}

KBENCH(mm_kmalloc_4k)
{
    bench_kmalloc("mm_kmalloc_4k", 4096);
}

/* In a loaded space of its own, so each unmap pays for its invlpg. */
KBENCH(mm_map_unmap)
{
    struct vmm_space *as = vmm_space_create();
    paddr_t frame = pmm_alloc();
    if (!as || !frame)
        return;
    vmm_space_switch(as);
    vmm_map(as, BENCH_MM_VA, frame, VMM_WRITABLE); /* builds the tables */
    vmm_unmap(as, BENCH_MM_VA);
    uint64_t flags = irq_save();
    uint64_t t0 = rdtsc();
    for (int i = 0; i < BENCH_MM_ROUNDS; i++) {
        vmm_map(as, BENCH_MM_VA, frame, VMM_WRITABLE);
        vmm_unmap(as, BENCH_MM_VA);
    }
    uint64_t t1 = rdtsc();
    irq_restore(flags);
    vmm_space_switch(vmm_kernel_space());
    vmm_space_destroy(as);
    pmm_free(frame);
    kbench_report_ns_per_op("mm_map_unmap", t1 - t0, BENCH_MM_ROUNDS);
}
