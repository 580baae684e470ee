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
 * Beside the bytes there is one event that is not a byte: the escape key
 * combination (ctrl-alt-backspace, kernel/drivers/kbd.c). It is a flag, not
 * a queued byte, so no program can type it and a full queue cannot lose
 * it; input_wait_char() hands it to the terminal's thread before any byte.
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

/* The escape key combination was pressed and nobody has taken it yet. */
static bool escape_pending;

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

void input_put_escape(void)
{
    escape_pending = true;
    wq_wake_all(&input_waiters);
}

/* Interrupts off (WAIT_EVENT's condition): the escape first, then a byte. */
static bool take_next(int *out)
{
    uint8_t c;
    if (escape_pending) {
        escape_pending = false;
        *out = INPUT_ESCAPE;
        return true;
    }
    if (!ring_pop(&input_queue, &c))
        return false;
    *out = c;
    return true;
}

int input_wait_char(void)
{
    int c = 0;
    WAIT_EVENT(&input_waiters, take_next(&c));
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
