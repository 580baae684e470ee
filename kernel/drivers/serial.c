/*
 * COM1 driver: polled output and interrupt-driven input at 115200 8N1.
 *
 * Output is polled (wait for the transmit holding register to empty, then
 * write a byte) because the log must work before interrupts exist, inside
 * panic, and with interrupts off. Under QEMU the wait is never long.
 *
 * Input arrives through the receive interrupt (IER bit 0, IRQ 4): the
 * handler drains the UART's FIFO into the console input queue
 * (kernel/drivers/input.c), the one the keyboard feeds, so a headless run
 * is a terminal and tests can type. Bytes pass unchanged: a terminal sends
 * Enter as '\r' and Backspace as DEL (0x7f), and so does the keyboard
 * driver, so readers see one convention (the tty's ICRNL makes '\r' a
 * '\n' for canonical readers).
 *
 * Locking: each write runs with interrupts off, so the bytes of one call
 * (a whole log line, a chunk of a program's output) are never split by
 * another task's or an interrupt handler's write; Ember has one CPU.
 * Context: any (output), interrupt (input).
 * See: docs/boot.md, docs/input.md
 */
#include "drivers/serial.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "drivers/input.h"
#include "lib/log.h"

#define COM1           0x3f8
#define UART_DATA      0 /* THR on write, RBR on read (DLAB = 0) */
#define UART_IER       1 /* interrupt enable (DLAB = 0), divisor high (1) */
#define UART_FCR       2 /* FIFO control */
#define UART_LCR       3 /* line control: bit 7 is DLAB */
#define UART_MCR       4 /* modem control */
#define UART_LSR       5 /* line status */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define IER_RX_DATA    0x01 /* interrupt when a received byte is waiting */
#define SERIAL_RX_MAX  64   /* bound on one handler run: a 16550 FIFO is 16 */
#define LCR_DLAB       0x80
#define LCR_8N1        0x03
#define FCR_ENABLE     0xc7 /* enable + clear both FIFOs, 14-byte trigger */
#define MCR_DTR_RTS    0x0b /* DTR, RTS and OUT2 (OUT2 gates the IRQ line) */
#define UART_CLOCK     115200

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
    log_add_sink(serial_write); /* the log's first destination */
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Writes n bytes in one run; crlf: a '\n' goes out as "\r\n". */
static void write_run(const char *s, size_t n, bool crlf)
{
    uint64_t flags = irq_save();
    for (size_t i = 0; i < n; i++) {
        if (crlf && s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
    irq_restore(flags);
}

void serial_write(const char *s, size_t n)
{
    write_run(s, n, true);
}

void serial_write_raw(const char *s, size_t n)
{
    write_run(s, n, false);
}

static void serial_rx_irq(struct trap_frame *f)
{
    (void)f;
    for (int i = 0; i < SERIAL_RX_MAX; i++) {
        if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
            break;
        input_put_char(inb(COM1 + UART_DATA));
    }
}

void serial_enable_input(void)
{
    irq_register(IRQ_COM1, serial_rx_irq);
    outb(COM1 + UART_IER, IER_RX_DATA);
}
