/*
 * Self-tests of the memory manager: frames, page tables, address spaces,
 * kernel stacks and the heap, on the running kernel.
 *
 * Each test leaves memory as it found it and checks that it did: the frame
 * counts and the heap's bytes in use after a test equal those before. The
 * manual tests end the machine on purpose (a write to read-only data, a
 * stack overflow, a double free) and print the address they are about to
 * misuse, so tests/system/test_memory.py can check the report against it.
 *
 * See: tests/kernel/README.md, docs/memory.md
 */
#include "ktest.h"

#include "arch/x86_64/irq.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "lib/xorshift.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define TEST_VA     0x0000000040000000ull /* 1 GiB: a user-half address */
#define MIB         (1ull << 20)
#define HEAP_TARGET (64 * MIB)
#define MAX_BLOCKS  8192

static const uint64_t rodata_word = 0x0123456789abcdefull;
static uint64_t data_word = 1;

/* xorshift64, seeded per test so runs repeat exactly. */
static uint64_t rng_next(uint64_t *s)
{
    return xorshift64(s);
}

static bool same_frames(const struct pmm_stats *a, const struct pmm_stats *b)
{
    return a->total_frames == b->total_frames &&
           a->free_frames == b->free_frames &&
           a->used_frames == b->used_frames &&
           a->reserved_frames == b->reserved_frames;
}

/* Every free frame can be taken, none twice, none reserved; then all back. */
KTEST(mm_pmm_every_frame_and_back)
{
    struct pmm_stats before, empty, after;
    paddr_t kstart = kernel_virt_to_phys(__kernel_start);
    paddr_t kend = kernel_virt_to_phys(__kernel_end);
    paddr_t head = 0, f;
    uint64_t n = 0;
    bool in_kernel = false;

    /*
     * No other task may run while no frame is free: a kernel thread that
     * woke now (the disk flusher, say) would find memory exhausted for no
     * reason of its own. Interrupts stay off until every frame is back.
     */
    uint64_t irq = irq_save();
    pmm_get_stats(&before);
    /* The frames themselves hold the list, so no memory is needed. */
    while ((f = pmm_alloc()) != 0) {
        in_kernel |= f < MIB || (f >= kstart && f < kend);
        *(paddr_t *)hhdm_ptr(f) = head;
        head = f;
        n++;
    }
    pmm_get_stats(&empty);
    KTEST_CHECK(n == before.free_frames);
    KTEST_CHECK(empty.free_frames == 0);
    KTEST_CHECK(empty.used_frames == empty.total_frames);
    KTEST_CHECK(!in_kernel);
    KTEST_CHECK(pmm_alloc_run(1, 1) == 0);
    while (head) {
        paddr_t next = *(paddr_t *)hhdm_ptr(head);
        pmm_free(head);
        head = next;
    }
    pmm_get_stats(&after);
    irq_restore(irq);
    KTEST_CHECK(same_frames(&before, &after));
    klog(LOG_INFO, "mm: %lu frames taken and given back", (unsigned long)n);
}

/* A run is contiguous, aligned as asked, and counted once. */
KTEST(mm_pmm_run_is_aligned)
{
    struct pmm_stats before, during, after;

    pmm_get_stats(&before);
    paddr_t run = pmm_alloc_run(16, 16);
    pmm_get_stats(&during);
    KTEST_CHECK(run != 0);
    KTEST_CHECK(run % (16 * PMM_FRAME_SIZE) == 0);
    KTEST_CHECK(during.free_frames == before.free_frames - 16);
    KTEST_CHECK(pmm_alloc_run(0, 1) == 0);
    KTEST_CHECK(pmm_alloc_run(2, 3) == 0);
    pmm_free_run(run, 16);
    pmm_get_stats(&after);
    KTEST_CHECK(same_frames(&before, &after));
}

/* map, translate and unmap agree, with USER and NO_EXECUTE kept. */
KTEST(mm_vmm_map_translate_unmap)
{
    struct vmm_space *as = vmm_space_create();
    paddr_t frame = pmm_alloc();
    paddr_t phys = 0;
    uint64_t flags = 0;

    KTEST_CHECK(as != NULL && frame != 0);
    if (!as || !frame)
        return;
    uint64_t want = VMM_WRITABLE | VMM_USER | VMM_NO_EXECUTE;
    KTEST_CHECK(vmm_map(as, TEST_VA, frame, want) == 0);
    KTEST_CHECK(vmm_translate(as, TEST_VA + 0x123, &phys, &flags) == 0);
    KTEST_CHECK(phys == frame + 0x123);
    KTEST_CHECK((flags & (want | VMM_PRESENT)) == (want | VMM_PRESENT));
    KTEST_CHECK(!(flags & VMM_HUGE));
    /* Another space does not see it. */
    KTEST_CHECK(vmm_translate(vmm_kernel_space(), TEST_VA, NULL, NULL) ==
                -ENOENT);
    KTEST_CHECK(vmm_map(as, TEST_VA, frame, want) == -EEXIST);
    KTEST_CHECK(vmm_map(as, TEST_VA + 1, frame, 0) == -EINVAL);
    KTEST_CHECK(vmm_map(as, KSTACK_LIMIT, frame, VMM_USER) == -EINVAL);
    KTEST_CHECK(vmm_map(as, 0x0000800000000000ull, frame, 0) == -EINVAL);
    KTEST_CHECK(vmm_unmap(as, TEST_VA) == 0);
    KTEST_CHECK(vmm_translate(as, TEST_VA, NULL, NULL) == -ENOENT);
    KTEST_CHECK(vmm_unmap(as, TEST_VA) == -ENOENT);
    KTEST_CHECK(vmm_unmap(as, HHDM_BASE) == -EINVAL); /* a huge page */
    vmm_space_destroy(as);
    pmm_free(frame); /* mapped without VMM_OWNED: still ours */
}

/* A frame written through a user-half mapping reads back via the HHDM. */
KTEST(mm_vmm_frame_reads_back_through_hhdm)
{
    struct vmm_space *as = vmm_space_create();
    paddr_t frame = pmm_alloc();

    KTEST_CHECK(as != NULL && frame != 0);
    if (!as || !frame)
        return;
    KTEST_CHECK(vmm_map(as, TEST_VA, frame, VMM_WRITABLE) == 0);
    vmm_space_switch(as);
    KTEST_CHECK(vmm_current() == as);
    volatile uint64_t *via_map = (volatile uint64_t *)TEST_VA;
    for (int i = 0; i < 512; i++)
        via_map[i] = 0x5eed000000000000ull + (uint64_t)i;
    vmm_space_switch(vmm_kernel_space());
    const uint64_t *via_hhdm = hhdm_ptr(frame);
    bool same = true;
    for (int i = 0; i < 512; i++)
        same &= via_hhdm[i] == 0x5eed000000000000ull + (uint64_t)i;
    KTEST_CHECK(same);
    vmm_space_destroy(as);
    pmm_free(frame);
}

/* Destroying a space frees its tables and the frames it owns. */
KTEST(mm_vmm_space_destroy_frees_frames)
{
    struct pmm_stats before, during, after;
    struct heap_stats heap_before, heap_after;

    kfree(kmalloc(64)); /* a first kmalloc grows the heap: not ours */
    pmm_get_stats(&before);
    kheap_get_stats(&heap_before);
    struct vmm_space *as = vmm_space_create();
    KTEST_CHECK(as != NULL);
    if (!as)
        return;
    /* Spread over several PDPTs, PDs and PTs, so every level is freed. */
    for (uint64_t i = 0; i < 64; i++) {
        uint64_t va =
            ((i % 4) << 39) | ((i % 8) << 30) | (i << 21) | ((i % 3) << 12);
        KTEST_CHECK(vmm_map_new(as, va, VMM_WRITABLE | VMM_USER) == 0);
    }
    pmm_get_stats(&during);
    KTEST_CHECK(during.free_frames < before.free_frames - 64);
    vmm_space_switch(as);
    KTEST_CHECK(*(volatile uint64_t *)((3ull << 39) | (7ull << 30) |
                                       (63ull << 21)) == 0); /* zeroed */
    vmm_space_switch(vmm_kernel_space());
    vmm_space_destroy(as);
    pmm_get_stats(&after);
    kheap_get_stats(&heap_after);
    KTEST_CHECK(same_frames(&before, &after));
    KTEST_CHECK(heap_after.used_bytes == heap_before.used_bytes);
}

/* The kernel image has the rights each section needs; the HHDM is huge. */
KTEST(mm_vmm_kernel_rights_and_direct_map)
{
    struct vmm_space *k = vmm_kernel_space();
    uint64_t fl = 0;
    paddr_t phys = 0;

    KTEST_CHECK(vmm_translate(k, (uint64_t)(uintptr_t)vmm_init, NULL, &fl) ==
                0);
    KTEST_CHECK(!(fl & VMM_WRITABLE) && !(fl & VMM_NO_EXECUTE));
    KTEST_CHECK(
        vmm_translate(k, (uint64_t)(uintptr_t)&rodata_word, NULL, &fl) == 0);
    KTEST_CHECK(!(fl & VMM_WRITABLE) && (fl & VMM_NO_EXECUTE));
    KTEST_CHECK(vmm_translate(k, (uint64_t)(uintptr_t)&data_word, &phys, &fl) ==
                0);
    KTEST_CHECK((fl & VMM_WRITABLE) && (fl & VMM_NO_EXECUTE));
    KTEST_CHECK(phys == kernel_virt_to_phys(&data_word));
    KTEST_CHECK(vmm_translate(k, (uint64_t)(uintptr_t)boot_stack_guard, NULL,
                              NULL) == -ENOENT);
    KTEST_CHECK(vmm_translate(k, (uint64_t)(uintptr_t)boot_stack_bottom, NULL,
                              &fl) == 0);
    KTEST_CHECK(fl & VMM_WRITABLE);
    uint64_t probe = 0x12345678;
    KTEST_CHECK(vmm_translate(k, (uint64_t)(uintptr_t)hhdm_ptr(probe), &phys,
                              &fl) == 0);
    KTEST_CHECK(phys == probe);
    KTEST_CHECK((fl & VMM_HUGE) && (fl & VMM_GLOBAL) && (fl & VMM_NO_EXECUTE));
    KTEST_CHECK(vmm_hhdm_bytes() >= pmm_memory_top());
    KTEST_CHECK(read_cr4() & CR4_PGE);
    KTEST_CHECK(read_cr3() == k->pml4);
    data_word++;
}

/*
 * A kernel stack is mapped and writable, with nothing mapped below it, and
 * freeing it returns its frames (the page tables above it stay).
 */
KTEST(mm_vmm_kernel_stack_has_guard)
{
    struct pmm_stats before, after;

    uint8_t *top = vmm_alloc_kernel_stack(4);
    KTEST_CHECK(top != NULL);
    if (!top)
        return;
    uint64_t bottom = (uint64_t)(uintptr_t)top - 4 * PAGE_SIZE;
    top[-1] = 0xaa;
    *(volatile uint8_t *)bottom = 0x55;
    KTEST_CHECK(vmm_translate(vmm_kernel_space(), bottom, NULL, NULL) == 0);
    KTEST_CHECK(vmm_translate(vmm_kernel_space(), bottom - 1, NULL, NULL) ==
                -ENOENT);
    uint8_t *top2 = vmm_alloc_kernel_stack(1);
    KTEST_CHECK(top2 != NULL && (uint64_t)(uintptr_t)top2 >=
                                    (uint64_t)(uintptr_t)top + 2 * PAGE_SIZE);
    pmm_get_stats(&before);
    vmm_free_kernel_stack(top2, 1);
    vmm_free_kernel_stack(top, 4);
    KTEST_CHECK(vmm_translate(vmm_kernel_space(), bottom, NULL, NULL) ==
                -ENOENT);
    KTEST_CHECK(vmm_alloc_kernel_stack(0) == NULL);
    pmm_get_stats(&after);
    KTEST_CHECK(after.free_frames == before.free_frames + 5);
}

/* ---- the heap ---- */

/* The pattern of byte i of block `id`: cheap, and differs block to block. */
static uint8_t pattern(uint64_t id, size_t i)
{
    return (uint8_t)(id * 31 + i + (i >> 8));
}

static void fill(uint8_t *p, size_t size, uint64_t id)
{
    for (size_t i = 0; i < size; i++)
        p[i] = pattern(id, i);
}

static bool intact(const uint8_t *p, size_t size, uint64_t id)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != pattern(id, i))
            return false;
    return true;
}

/* Mostly small and medium blocks, a quarter of them large. */
static size_t mixed_size(uint64_t *rng)
{
    uint64_t r = rng_next(rng);
    switch (r % 4) {
    case 0:
        return 1 + (r >> 8) % 256;
    case 1:
        return 256 + (r >> 8) % 8192;
    case 2:
        return 8192 + (r >> 8) % (64 << 10);
    default:
        return (64 << 10) + (r >> 8) % MIB;
    }
}

/* The heap grows well past its first chunk; every byte survives. */
KTEST(mm_heap_grows_to_64_mib)
{
    struct heap_stats before, full, after;
    uint64_t rng = 0x6a09e667f3bcc908ull;
    size_t n = 0, total = 0;

    kheap_get_stats(&before);
    uint8_t **blocks = kcalloc(MAX_BLOCKS, sizeof *blocks);
    size_t *sizes = kcalloc(MAX_BLOCKS, sizeof *sizes);
    KTEST_CHECK(blocks && sizes);
    if (!blocks || !sizes)
        return;
    while (total < HEAP_TARGET && n < MAX_BLOCKS) {
        size_t size = mixed_size(&rng);
        blocks[n] = n % 7 == 0 ? kmalloc_aligned(size, 4096) : kmalloc(size);
        KTEST_CHECK(blocks[n] != NULL);
        if (!blocks[n])
            break;
        fill(blocks[n], size, n);
        sizes[n++] = size;
        total += size;
    }
    kheap_get_stats(&full);
    KTEST_CHECK(total >= HEAP_TARGET);
    KTEST_CHECK(full.used_bytes >= before.used_bytes + total);
    KTEST_CHECK(full.size_bytes >= HEAP_TARGET);
    KTEST_CHECK(full.grows > before.grows);
    kheap_check();
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok &= intact(blocks[i], sizes[i], i);
        ok &= i % 7 != 0 || ((uintptr_t)blocks[i] & 4095) == 0;
    }
    KTEST_CHECK(ok);
    for (size_t i = 0; i < n; i += 2) /* every other one, then the rest */
        kfree(blocks[i]);
    for (size_t i = 1; i < n; i += 2)
        kfree(blocks[i]);
    kfree(blocks);
    kfree(sizes);
    kheap_get_stats(&after);
    kheap_check();
    KTEST_CHECK(after.used_bytes == before.used_bytes);
    KTEST_CHECK(after.blocks_in_use == before.blocks_in_use);
    KTEST_CHECK(after.largest_free >= HEAP_TARGET);
    klog(LOG_INFO, "mm: %zu blocks, %zu MiB; heap now %zu MiB", n, total >> 20,
         full.size_bytes >> 20);
}

/* kcalloc zeroes, krealloc keeps contents, and the counters come back. */
KTEST(mm_heap_stats_return_to_baseline)
{
    struct heap_stats before, after;

    kheap_get_stats(&before);
    uint8_t *a = kmalloc(100);
    uint8_t *z = kcalloc(300, 7);
    uint8_t *al = kmalloc_aligned(5000, 1 << 16);
    KTEST_CHECK(a && z && al);
    if (!a || !z || !al)
        return;
    bool zero = true;
    for (int i = 0; i < 2100; i++)
        zero &= z[i] == 0;
    KTEST_CHECK(zero);
    KTEST_CHECK(((uintptr_t)al & 0xffff) == 0);
    fill(a, 100, 42);
    a = krealloc(a, 20000);
    KTEST_CHECK(a && intact(a, 100, 42));
    a = krealloc(a, 50);
    KTEST_CHECK(a && intact(a, 50, 42));
    KTEST_CHECK(kcalloc((size_t)1 << 62, 8) == NULL);
    KTEST_CHECK(kmalloc((size_t)-1) == NULL);
    kfree(a);
    kfree(z);
    kfree(al);
    kfree(NULL);
    kheap_get_stats(&after);
    kheap_check();
    KTEST_CHECK(after.used_bytes == before.used_bytes);
    KTEST_CHECK(after.blocks_in_use == before.blocks_in_use);
    KTEST_CHECK(after.size_bytes ==
                after.used_bytes + after.free_bytes + after.regions * 48);
}

/* With the frames gone, kmalloc says NULL instead of panicking. */
KTEST(mm_heap_out_of_memory_returns_null)
{
    struct pmm_stats before, after;
    void *blocks[1024];
    size_t n = 0;
    paddr_t hoard = 0, f;

    pmm_get_stats(&before);
    while ((f = pmm_alloc()) != 0) { /* take every free frame */
        *(paddr_t *)hhdm_ptr(f) = hoard;
        hoard = f;
    }
    while (n < 1024 && (blocks[n] = kmalloc(MIB)) != NULL)
        n++;
    KTEST_CHECK(n < 1024); /* it ran out */
    KTEST_CHECK(kmalloc(MIB) == NULL);
    KTEST_CHECK(vmm_alloc_kernel_stack(4) == NULL);
    KTEST_CHECK(vmm_space_create() == NULL);
    kheap_check();
    while (n > 0)
        kfree(blocks[--n]);
    while (hoard) {
        paddr_t next = *(paddr_t *)hhdm_ptr(hoard);
        pmm_free(hoard);
        hoard = next;
    }
    void *p = kmalloc(MIB);
    KTEST_CHECK(p != NULL);
    kfree(p);
    pmm_get_stats(&after);
    KTEST_CHECK(after.total_frames == before.total_frames);
}

/* ---- deliberate crashes (run by name only) ---- */

/* A write to read-only data: "protection violation, write, kernel mode". */
KTEST_MANUAL(mm_write_rodata)
{
    volatile uint64_t *p = (volatile uint64_t *)&rodata_word;
    kprintf("mm_write_rodata: writing to %p\n", (void *)p);
    *p = 0;
}

static volatile int overflow_stop;

/* Recursion that the compiler cannot turn into a loop. */
static __attribute__((noinline)) uint64_t overflow(uint64_t depth)
{
    volatile uint8_t pad[512];
    pad[0] = (uint8_t)depth;
    if (overflow_stop)
        return pad[0];
    return overflow(depth + 1) + pad[0];
}

/* Runs off the end of the boot stack into its guard page. */
KTEST_MANUAL(mm_stack_guard)
{
    kprintf("mm_stack_guard: boot stack %p..%p, guard page at %p\n",
            (void *)boot_stack_bottom, (void *)boot_stack_top,
            (void *)boot_stack_guard);
    kprintf("mm_stack_guard: %lu\n", (unsigned long)overflow(0));
}

/* Frees a frame twice: the panic names the frame. */
KTEST_MANUAL(mm_pmm_double_free)
{
    paddr_t f = pmm_alloc();
    kprintf("mm_pmm_double_free: frame %#lx\n", (unsigned long)f);
    pmm_free(f);
    pmm_free(f);
}

/* Frees a heap block twice: the panic names the block. */
KTEST_MANUAL(mm_heap_double_free)
{
    void *p = kmalloc(64);
    kprintf("mm_heap_double_free: block %p\n", p);
    kfree(p);
    kfree(p);
}
