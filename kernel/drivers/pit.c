/*
 * The PIT: channel 2 as a stopwatch for calibrating the TSC, channel 0 as
 * the periodic tick.
 *
 * Channel 2's gate and output are wired to port 0x61 (bit 0 gate, bit 1
 * speaker, bit 5 output), so it can be used with interrupts off: load a
 * count in mode 0 (interrupt on terminal count), and the output goes high
 * when the count reaches zero. The TSC is read when the count is loaded and
 * when the output rises. Five 10 ms runs are made and the median kept, since
 * under emulation one run can be stretched by the host.
 *
 * Channel 0's output is wired to IRQ 0. In mode 2 (rate generator) it pulses
 * once every `divisor` input clocks and reloads by itself, so after one
 * programming it ticks for ever with no further port access.
 *
 * Context: boot, interrupts off.
 * See: docs/boot.md, docs/interrupts.md
 */
#include "drivers/pit.h"

#include "arch/x86_64/cpu.h"

#define PIT_CH0_DATA   0x40
#define PIT_CH2_DATA   0x42
#define PIT_COMMAND    0x43
#define PIT_CMD_CH0    0x34 /* channel 0, lobyte/hibyte, mode 2, binary */
#define PIT_CMD_CH2    0xb0 /* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT_B         0x61
#define PORT_B_GATE2   0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2    0x20
#define CALIB_MS       10
#define CALIB_RUNS     5

static uint64_t measure_once(void)
{
    uint16_t count = (uint16_t)(PIT_HZ * CALIB_MS / 1000);
    uint8_t b = inb(PORT_B);

    /* Gate low (stops the count), speaker off. */
    outb(PORT_B, (uint8_t)(b & ~(PORT_B_GATE2 | PORT_B_SPEAKER)));
    outb(PIT_COMMAND, PIT_CMD_CH2);
    outb(PIT_CH2_DATA, count & 0xff);
    outb(PIT_CH2_DATA, count >> 8);
    /* Gate high: counting starts now. */
    outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
    uint64_t start = rdtsc();
    while (!(inb(PORT_B) & PORT_B_OUT2))
        ;
    uint64_t end = rdtsc();
    outb(PORT_B, (uint8_t)(b & ~(PORT_B_GATE2 | PORT_B_SPEAKER)));
    return (end - start) * (1000 / CALIB_MS);
}

uint64_t pit_calibrate_tsc(void)
{
    uint64_t runs[CALIB_RUNS];

    for (int i = 0; i < CALIB_RUNS; i++)
        runs[i] = measure_once();
    /* Insertion sort of five values, then the middle one. */
    for (int i = 1; i < CALIB_RUNS; i++) {
        for (int j = i; j > 0 && runs[j - 1] > runs[j]; j--) {
            uint64_t t = runs[j];
            runs[j] = runs[j - 1];
            runs[j - 1] = t;
        }
    }
    return runs[CALIB_RUNS / 2];
}

uint16_t pit_start_periodic(uint32_t hz)
{
    /* Round to the nearest divisor: 1000 Hz gives 1193, 1000.15 Hz. */
    uint32_t divisor = (PIT_HZ + hz / 2) / hz;

    outb(PIT_COMMAND, PIT_CMD_CH0);
    outb(PIT_CH0_DATA, divisor & 0xff);
    outb(PIT_CH0_DATA, (divisor >> 8) & 0xff);
    return (uint16_t)divisor;
}
