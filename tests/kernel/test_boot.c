/*
 * Self-tests of the foundation: CPU tables, symbols, options, the TSC.
 *
 * Each checks a fact the rest of the kernel relies on and that a wrong
 * constant or a missed step at boot would break silently.
 *
 * See: tests/kernel/README.md
 */
#include "ktest.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/ksyms.h"
#include "lib/portable.h"
#include "main.h"

/* The backtrace names functions: an address inside kmain maps to kmain. */
KTEST(boot_ksyms_name_functions)
{
    uint64_t off = 0;
    uint64_t addr = (uint64_t)(uintptr_t)kmain;
    const char *name = ksyms_lookup(addr + 5, &off);
    KTEST_CHECK(name && strcmp(name, "kmain") == 0);
    KTEST_CHECK(off == 5);
    KTEST_CHECK(ksyms_address("ksyms_lookup") ==
                (uint64_t)(uintptr_t)ksyms_lookup);
    KTEST_CHECK(ksyms_lookup(0x1000, &off) == NULL);
}

/* Options from fw_cfg reach the kernel: the harness always passes one. */
KTEST(boot_options_from_fwcfg)
{
    char v[32];
    KTEST_CHECK(cmdline_has("harness"));
    KTEST_CHECK(cmdline_get("ktest", v, sizeof v));
    KTEST_CHECK(!cmdline_has("no-such-option"));
}

/* Segment registers hold Ember's GDT selectors and the TSS is loaded. */
KTEST(boot_gdt_selectors_loaded)
{
    uint16_t cs, ss, tr;
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1; str %2"
                     : "=r"(cs), "=r"(ss), "=r"(tr));
    KTEST_CHECK(cs == GDT_KERNEL_CODE);
    KTEST_CHECK(ss == GDT_KERNEL_DATA);
    KTEST_CHECK(tr == GDT_TSS);
    for (int i = IST_DOUBLE_FAULT; i <= IST_MACHINE_CHECK; i++)
        KTEST_CHECK(tss_ist_top(i) != 0 && (tss_ist_top(i) & 15) == 0);
    KTEST_CHECK(tss_ist_top(1) != tss_ist_top(2));
}

/* The IDT covers all 256 vectors and CR0.WP is on. */
KTEST(boot_idt_and_wp)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    KTEST_CHECK(idtr.limit == 256 * 16 - 1);
    KTEST_CHECK(read_cr0() & CR0_WP);
}

static volatile int breakpoint_hits;
static volatile uint64_t breakpoint_vector;

static void on_breakpoint(struct trap_frame *f)
{
    breakpoint_hits++;
    breakpoint_vector = f->vector;
}

/* A trap goes through the stub to its handler and returns to the caller. */
KTEST(boot_trap_round_trip)
{
    trap_register(TRAP_BREAKPOINT, on_breakpoint);
    __asm__ volatile("int3");
    __asm__ volatile("int3");
    trap_register(TRAP_BREAKPOINT, NULL);
    KTEST_CHECK(breakpoint_hits == 2);
    KTEST_CHECK(breakpoint_vector == TRAP_BREAKPOINT);
}

/* The TSC was calibrated to a believable rate (100 MHz .. 20 GHz). */
KTEST(boot_tsc_calibrated)
{
    KTEST_CHECK(tsc_hz() > 100000000ull);
    KTEST_CHECK(tsc_hz() < 20000000000ull);
    KTEST_CHECK(tsc_cycles_to_ns(tsc_hz()) == 1000000000ull);
    KTEST_CHECK(tsc_cycles_to_ns(tsc_hz() * 100) == 100000000000ull);
}

/*
 * A reference counter derived from the TSC itself, one count per
 * FAKE_REF_DIV cycles, 24 bits wide like the PM timer: the calibration
 * must find the TSC's rate to within 0.02%, and give 0, not hang, when the
 * counter never moves.
 */
#define FAKE_REF_DIV  725 /* about the TSC/PM timer ratio under QEMU */
#define FAKE_REF_MASK 0xffffff
static uint64_t fake_ref_base;

static uint32_t fake_ref_read(void)
{
    return (uint32_t)((rdtsc() - fake_ref_base) / FAKE_REF_DIV);
}

static uint32_t stuck_ref_read(void)
{
    return 42;
}

KTEST(boot_tsc_calibration_finds_a_known_rate)
{
    fake_ref_base = rdtsc();
    struct tsc_reference ref = {"fake counter", tsc_hz() / FAKE_REF_DIV,
                                FAKE_REF_MASK, fake_ref_read};
    uint64_t want = ref.hz * FAKE_REF_DIV;
    uint64_t got = tsc_calibrate(&ref);
    uint64_t diff = got > want ? got - want : want - got;
    KTEST_CHECK(got != 0);
    KTEST_CHECK(diff * 5000 <= want); /* 0.02% */

    struct tsc_reference stuck = {"stuck counter", 1000, FAKE_REF_MASK,
                                  stuck_ref_read};
    KTEST_CHECK(tsc_calibrate(&stuck) == 0);
}

/* The kernel's formatter works in the kernel too (not only on the host). */
KTEST(boot_ksnprintf_in_kernel)
{
    char buf[16];
    int n = ksnprintf(buf, sizeof buf, "%s-%05d-%lx", "ab", 42, 0xbeefUL);
    KTEST_CHECK(n == 13);
    KTEST_CHECK(strcmp(buf, "ab-00042-beef") == 0);
}
