/*
 * The console input queue, fed by the keyboard and by COM1.
 *
 * Both sources send what a terminal would: the keyboard driver puts the
 * bytes of each key press (kernel/drivers/kbd.c) and the serial driver
 * each received byte (kernel/drivers/serial.c), with Enter as '\r' and
 * Backspace as DEL from both, as xterm sends them, so a headless run is
 * the same terminal as the screen. The terminal's thread (kernel/fs/tty.c)
 * reads here once /dev/console is first opened; before that, the boot's
 * `hold` path and the input tests do.
 *
 * This file touches no port, yet it sits with the drivers: the keyboard
 * and serial interrupt handlers push into it, so it must be on their
 * floor or below, and the terminal a floor up reads it.
 *
 * Overflow: drop the oldest byte and count it (lib/ring.h).
 *
 * Readers that want to wait block on a wait queue that every put wakes, so
 * a task waiting for a key uses no CPU until one arrives.
 *
 * Locking: pushed by IRQ handlers (interrupts are off there), popped with
 * interrupts off (irq_save), which on one CPU is all the ring needs.
 * Context: interrupt (put), any (read).
 * See: docs/input.md
 */
#include "drivers/input.h"

#include "arch/x86_64/irq.h"
#include "lib/ring.h"
#include "sched/wait.h"

#include <ember/errno.h>

static uint8_t input_storage[INPUT_QUEUE_BYTES];
static struct ring input_queue = {
    .buf = input_storage,
    .elem_size = 1,
    .cap = INPUT_QUEUE_BYTES,
};

static struct wait_queue input_waiters = WAIT_QUEUE_INIT;

void input_put_char(uint8_t c)
{
    ring_push(&input_queue, &c);
    wq_wake_all(&input_waiters);
}

int input_read_char(void)
{
    uint8_t c;
    uint64_t flags = irq_save();
    bool got = ring_pop(&input_queue, &c);
    irq_restore(flags);
    return got ? c : -EAGAIN;
}

int input_wait_char(void)
{
    uint8_t c;
    WAIT_EVENT(&input_waiters, ring_pop(&input_queue, &c));
    return c;
}

void input_flush(void)
{
    uint8_t c;
    uint64_t flags = irq_save();
    while (ring_pop(&input_queue, &c))
        ;
    irq_restore(flags);
}

uint64_t input_dropped(void)
{
    return ring_dropped(&input_queue);
}
