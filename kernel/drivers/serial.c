/*
 * COM1 driver: polled output at 115200 8N1.
 *
 * Output is polled (wait for the transmit holding register to empty, then
 * write a byte) because the log must work before interrupts exist, inside
 * panic, and with interrupts off. Under QEMU the wait is never long. Input
 * through the receive interrupt is added with the interrupt layer.
 *
 * Locking: none yet; a whole log line may interleave with another task's
 * once there are tasks (see kernel/lib/log.c).
 * Context: any.
 * See: docs/boot.md
 */
#include "drivers/serial.h"

#include "arch/x86_64/cpu.h"

#define COM1          0x3f8
#define UART_DATA     0 /* THR on write, RBR on read (DLAB = 0) */
#define UART_IER      1 /* interrupt enable (DLAB = 0), divisor high (1) */
#define UART_FCR      2 /* FIFO control */
#define UART_LCR      3 /* line control: bit 7 is DLAB */
#define UART_MCR      4 /* modem control */
#define UART_LSR      5 /* line status */
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB      0x80
#define LCR_8N1       0x03
#define FCR_ENABLE    0xc7 /* enable + clear both FIFOs, 14-byte trigger */
#define MCR_DTR_RTS   0x0b /* DTR, RTS and OUT2 (OUT2 gates the IRQ line) */
#define UART_CLOCK    115200

void serial_init(void)
{
    uint16_t divisor = UART_CLOCK / 115200;

    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, divisor & 0xff);
    outb(COM1 + UART_IER, divisor >> 8);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE);
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}
