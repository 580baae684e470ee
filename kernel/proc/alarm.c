/*
 * ITIMER_REAL: the timer behind alarm and setitimer, which sends SIGALRM.
 *
 * Each process keeps its own deadline (TSC time) and interval. One kernel
 * thread, started the first time a program arms a timer, sleeps until the
 * earliest deadline of all (wq_block_timed()) or until a timer is armed,
 * then sends the signals that are due (proc_fire_alarms()). A program's
 * timer so fires even while the program itself is blocked, and an idle
 * system with no timer armed has no thread waking at all.
 *
 * Locking: deadlines change with interrupts off; the thread checks and
 * blocks with interrupts off, so an arming cannot slip in between.
 * Context: task.
 * See: docs/signals.md
 */
#include <ember/errno.h>

#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "proc/process.h"
#include "sched/task.h"
#include "sched/wait.h"

static struct {
    struct wait_queue wq; /* the thread waits here: interrupts off */
    struct task *thread;  /* set once, by the first arming task */
} alarm = {WAIT_QUEUE_INIT, NULL};

static int alarm_main(void *arg)
{
    (void)arg;
    for (;;) {
        uint64_t irq = irq_save();
        uint64_t next = proc_fire_alarms(tsc_ns_since_entry());
        if (next == UINT64_MAX)
            wq_block(&alarm.wq);
        else
            wq_block_timed(&alarm.wq, next);
        irq_restore(irq);
    }
    return 0;
}

void proc_set_alarm(uint64_t value_ns, uint64_t interval_ns,
                    uint64_t *old_left_ns, uint64_t *old_interval_ns)
{
    struct process *p = proc_current();
    if (!alarm.thread && value_ns)
        alarm.thread = task_create("alarm", alarm_main, NULL, true);
    uint64_t irq = irq_save();
    uint64_t now = tsc_ns_since_entry();
    *old_left_ns = p->alarm_ns > now ? p->alarm_ns - now : 0;
    if (p->alarm_ns && *old_left_ns == 0)
        *old_left_ns = 1; /* due but not yet sent: still armed */
    *old_interval_ns = p->alarm_every_ns;
    p->alarm_ns = value_ns ? now + value_ns : 0;
    p->alarm_every_ns = value_ns ? interval_ns : 0;
    irq_restore(irq);
    wq_wake_all(&alarm.wq);
}
