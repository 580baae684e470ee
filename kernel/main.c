/*
 * kmain(): the boot order, one init call per subsystem. Read this first.
 *
 * boot.S arrives here in 64-bit mode on the boot stack, with the first 4 GiB
 * mapped at the direct map and at the kernel's own address. Each step below
 * needs only the ones above it: the serial port first, so anything that goes
 * wrong afterwards can be reported; the boot information next, because the
 * screen, the memory manager and the options all come from it; then the CPU
 * tables, so faults produce reports instead of resets.
 *
 * See: docs/boot.md
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "bootinfo.h"
#include "drivers/console.h"
#include "drivers/debugexit.h"
#include "drivers/fb.h"
#include "drivers/fwcfg.h"
#include "drivers/input.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/ps2.h"
#include "drivers/rtc.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/kprintf.h"
#include "lib/log.h"
#include "lib/panic.h"
#include "main.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "proc/process.h"
#include "proc/screen.h"
#include "drivers/acpi.h"
#include "fs/storage.h"
#include "fs/vfs.h"
#include "arch/x86_64/syscall.h"
#include "kbench.h" /* tests/kernel/ */
#include "ktest.h"  /* tests/kernel/ */

#define EMBER_VERSION  "0.1.0"
#define MB2_BOOT_MAGIC 0x36d76289
#define DEFAULT_INIT   "/bin/init"
#define INIT_ARGS_MAX  64 /* init= arguments, the program's name included */
#define BOOT_STEPS_MAX 24
#define NS_PER_US      1000

struct bootinfo boot_info;
static const char *clock_reference; /* what the TSC was calibrated against */

extern uint64_t boot_pml4[]; /* kernel/arch/x86_64/boot.S */

/*
 * The boot's time budget: the TSC at the end of each step, kept raw
 * because the first steps end before the TSC's rate is known, and logged
 * in one debug line as init starts; `make bench` prints them. Written by
 * the boot task alone.
 */
struct boot_step {
    const char *name;
    uint64_t tsc;
};
static struct boot_step boot_steps[BOOT_STEPS_MAX];
static unsigned boot_nsteps;

static void step_done(const char *name)
{
    if (boot_nsteps < BOOT_STEPS_MAX)
        boot_steps[boot_nsteps++] = (struct boot_step){name, rdtsc()};
}

/* One line, so that the report costs the boot little (COM1 is slow). */
static void boot_report_steps(void)
{
    char line[LOG_LINE_MAX] = "";
    size_t n = 0;

    for (unsigned i = 0; i < boot_nsteps && n < sizeof line; i++)
        n += (size_t)ksnprintf(
            line + n, sizeof line - n, " %s %lu", boot_steps[i].name,
            (unsigned long)(tsc_ns_at(boot_steps[i].tsc) / NS_PER_US));
    klog(LOG_DEBUG, "boot: steps end (us after kernel entry):%s", line);
}

static void parse_boot_info(uint32_t magic, uint32_t info_phys)
{
    if (magic != MB2_BOOT_MAGIC)
        panic("boot: bad Multiboot2 magic 0x%x", magic);
    const void *info = hhdm_ptr(info_phys);
    uint32_t total = *(const uint32_t *)info;
    int err = bootinfo_parse(info, total, &boot_info);
    if (err < 0)
        panic("boot: malformed Multiboot2 information (%d)", err);
}

static void read_options(void)
{
    char extra[CMDLINE_MAX + 1]; /* a byte more than fits: a cut shows */
    char level[8];

    if (fwcfg_read_file("opt/ember/cmdline", extra, sizeof extra) < 0)
        extra[0] = '\0';
    cmdline_init(boot_info.cmdline, extra);
    if (cmdline_get("loglevel", level, sizeof level) && level[0] >= '0' &&
        level[0] <= '3')
        log_set_level(level[0] - '0');
    if (cmdline_cut())
        klog(LOG_WARN,
             "boot: command line longer than %d bytes; the rest "
             "is ignored",
             CMDLINE_MAX - 1);
}

/* The boot tables' identity map was only for the jump to the higher half. */
static void drop_identity_map(void)
{
    boot_pml4[0] = 0;
    write_cr3(read_cr3());
}

/*
 * The TSC's rate, against the ACPI PM timer when the firmware has one (it
 * needs no interrupt and cannot be starved mid-window), else against PIT
 * channel 2. Everything that tells time rests on this figure.
 */
static void calibrate_clock(void)
{
    const struct tsc_reference *ref = acpi_pm_timer();
    uint64_t hz = ref ? tsc_calibrate(ref) : 0;
    const char *by = ref ? ref->name : "PIT channel 2";

    if (hz == 0) {
        if (ref)
            klog(LOG_WARN, "boot: %s calibration failed; using the PIT",
                 ref->name);
        by = "PIT channel 2";
        hz = pit_calibrate_tsc();
    }
    tsc_set_hz(hz);
    clock_reference = by;
}

static void print_banner(void)
{
    const struct bootinfo_fb *fb = &boot_info.fb;

    kprintf("Ember " EMBER_VERSION " (x86_64), booted by %s\n",
            boot_info.bootloader[0] ? boot_info.bootloader : "unknown loader");
    kprintf("memory: %lu MiB usable\n",
            (unsigned long)(boot_info.usable_bytes >> 20));
    if (console_active())
        kprintf("screen: %ux%u, 32 bpp, pitch %u, console %ux%u\n", fb->width,
                fb->height, fb->pitch, console_cols(), console_rows());
    else
        kprintf("screen: none, serial console only\n");
    kprintf("command line: %s\n", cmdline_full());
}

/*
 * Under the harness with `hold`, waits for a 'q' on the console input (the
 * serial port or the keyboard), then exits with the pass code: the
 * screendump test looks at the screen while the kernel waits, and the
 * verdict still leaves through isa-debug-exit.
 */
static void hold_for_harness(void)
{
    klog(LOG_INFO, "boot: holding for the harness (send q to end)");
    for (;;) {
        if (input_wait_char() == 'q')
            debugexit_exit(DEBUGEXIT_PASS);
    }
}

/*
 * Starts process 1: `init=/bin/prog,arg,...` names it and its arguments
 * (commas for spaces, which kernel options cannot hold); the default is
 * /bin/init. A line with more than INIT_ARGS_MAX arguments is refused with
 * a log line, like a missing program: running init with the list cut short
 * would look like a program that stops early (busybox's test suite lost
 * its last applets this way, #17). The boot task then has nothing left to
 * do and sleeps for good.
 */
static void start_init(void)
{
    static char line[CMDLINE_MAX];
    static char *argv[INIT_ARGS_MAX + 1];
    int argc = 0;

    if (cmdline_has("noinit"))
        return;
    if (!cmdline_get("init", line, sizeof line) || !line[0]) {
        memcpy(line, DEFAULT_INIT, sizeof DEFAULT_INIT);
        kprintf("Type help for the shell's commands, doom or quake to play, "
                "pico FILE to edit.\n");
    }
    /* From here the screen belongs to programs: only warnings reach it. */
    log_set_sink_level(console_write, LOG_WARN);
    boot_report_steps(); /* to COM1 and the ring, not the screen */
    bool too_many = false;
    for (char *s = line; *s;) {
        if (argc == INIT_ARGS_MAX) {
            klog(LOG_ERR, "boot: init= has more than %d arguments",
                 INIT_ARGS_MAX);
            too_many = true;
            break;
        }
        argv[argc++] = s;
        char *comma = strchr(s, ',');
        if (!comma)
            break;
        *comma = '\0';
        s = comma + 1;
    }
    argv[argc] = NULL;
    if (too_many || proc_spawn_init(argv[0], argv) < 0) {
        klog(LOG_ERR, "boot: no init: nothing to run");
        debugexit_exit(DEBUGEXIT_FAIL);
    }
    static struct wait_queue forever = WAIT_QUEUE_INIT;
    WAIT_EVENT(&forever, false);
}

/* The log's ring guard (lib/ sits below the CPU layer's irq_save()). */
static uint64_t log_lock(void)
{
    return irq_save();
}

static void log_unlock(uint64_t flags)
{
    irq_restore(flags);
}

void kmain(uint32_t magic, uint32_t info_phys)
{
    serial_init();    /* the log's first destination */
    debugexit_init(); /* how a panic ends a test run */
    parse_boot_info(magic, info_phys);
    gdt_init();
    idt_init();
    drop_identity_map();
    read_options();
    step_done("cpu_tables_and_options");
    pmm_init(&boot_info, info_phys); /* frames, from the memory map */
    vmm_init(&boot_info);            /* the kernel's own page tables */
    kheap_init();                    /* kmalloc */
    step_done("memory");

    acpi_init(&boot_info); /* how to power off, and the PM timer */
    step_done("acpi");
    calibrate_clock();
    log_set_clock(tsc_ms_since_entry);
    log_set_lock(log_lock, log_unlock);
    step_done("tsc_calibration");

    if (fb_init(&boot_info.fb))
        console_init(); /* which adds the screen to the log */
    step_done("console");
    print_banner();
    klog(LOG_INFO, "boot: kernel entry to banner in %lu ms",
         (unsigned long)tsc_ms_since_entry());
    klog(LOG_INFO, "boot: TSC runs at %lu kHz (measured against the %s)",
         (unsigned long)(tsc_hz() / 1000), clock_reference);
    if (!console_active())
        klog(LOG_WARN, "console: no framebuffer from the boot loader; "
                       "running on the serial console alone");
    step_done("banner");

    /* Interrupts: the PIC, then each source, then sti (docs/interrupts.md). */
    irq_init();
    pic_init(); /* registers itself with irq.c */
    timer_init();
    rtc_init();
    step_done("timer_and_rtc");
    ps2_init();
    step_done("ps2");
    serial_enable_input();
    fpu_init();
    sched_init();            /* from here on kmain is a task */
    console_start_painter(); /* the screen is painted once a frame */
    task_init_reaper();
    syscall_init();
    sti();
    step_done("scheduler");
    vfs_init(); /* the root volume, its flusher, /dev */
    step_done("disk_and_mount");
    proc_init();   /* processes' hooks below them, /proc */
    screen_init(); /* ctrl-alt-backspace ends the screen's holder */
    step_done("processes");

    char tests[CMDLINE_MAX];
    if (cmdline_get("ktest", tests, sizeof tests))
        ktest_run(tests);
    if (cmdline_get("bench", tests, sizeof tests))
        kbench_run(tests);
    if (cmdline_has("hold"))
        hold_for_harness();

    start_init();
}
