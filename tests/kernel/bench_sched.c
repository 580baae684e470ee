/*
 * Scheduler benchmarks: the cost of a context switch and the latency of a
 * wake-up.
 *
 * See: tests/kernel/README.md
 */
#include "kbench.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "sched/wait.h"

#define PINGPONG_ROUNDS 20000
#define WAKE_ROUNDS     2000

static volatile bool pingpong_go;

static int yielder(void *arg)
{
    (void)arg;
    while (!pingpong_go)
        sched_yield();
    for (int i = 0; i < PINGPONG_ROUNDS; i++)
        sched_yield();
    return 0;
}

/* Two threads ping-ponging through yield: ns per switch. */
KBENCH(context_switch_yield)
{
    struct task *a = task_create("ping", yielder, NULL, false);
    struct task *b = task_create("pong", yielder, NULL, false);
    uint64_t switches = sched_switch_count();
    uint64_t start = rdtsc();
    pingpong_go = true;
    task_join(a);
    task_join(b);
    uint64_t cycles = rdtsc() - start;
    kbench_report_ns_per_op("context_switch_yield", cycles,
                            sched_switch_count() - switches);
}

static struct wait_queue wake_wq = WAIT_QUEUE_INIT;
static volatile uint64_t wake_sent_tsc;
static volatile bool wake_flag;
static volatile uint64_t wake_total_cycles;

static int sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < WAKE_ROUNDS; i++) {
        WAIT_EVENT(&wake_wq, wake_flag);
        wake_total_cycles += rdtsc() - wake_sent_tsc;
        wake_flag = false;
    }
    return 0;
}

/* A task blocked on a wait queue, woken by another: time until it runs. */
KBENCH(wakeup_latency)
{
    struct task *t = task_create("sleeper", sleeper, NULL, false);
    wake_total_cycles = 0;
    for (int i = 0; i < WAKE_ROUNDS; i++) {
        while (wake_flag)
            sched_yield();
        wake_sent_tsc = rdtsc();
        wake_flag = true;
        wq_wake_one(&wake_wq);
        sched_yield();
    }
    task_join(t);
    kbench_report("wakeup_latency", tsc_cycles_to_ns(wake_total_cycles),
                  (uint64_t)WAKE_ROUNDS * 1000, "us");
}
