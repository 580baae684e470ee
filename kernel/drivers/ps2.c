/*
 * The 8042 PS/2 controller driver: initialisation, and the one interrupt
 * handler both ports share.
 *
 * The controller has a status register and a command register on port 0x64
 * and one data register on port 0x60 for both devices. Status bit 0 (output
 * buffer full) says a byte is waiting, and bit 5 says whether it came from
 * the auxiliary port (the mouse). So the handler reads the status and then
 * the data, as a pair, and routes the byte by that bit. IRQ 1 and IRQ 12
 * both run the same loop until the buffer is empty: whichever interrupt
 * comes first takes every waiting byte to the right driver, and the other
 * finds nothing to do. A handler that assumed "IRQ 1 means a key" would eat
 * a mouse byte whenever the two raced, which QEMU makes easy to hit.
 *
 * Initialisation follows the OSDev wiki's "8042 PS/2 Controller" sequence:
 * disable both ports, flush the output buffer, set the configuration byte
 * (both port IRQs off, set-2-to-set-1 translation on), run the controller
 * self-test (0xAA answers 0x55), find out whether there is a second port,
 * test each port, enable them, set the devices up (kbd_init, mouse_init),
 * and only then turn the IRQ bits on in the configuration byte.
 *
 * Locking: the ports are used at boot with interrupts off, then only by the
 * IRQ handler, except ps2_kbd_write(), called from the keyboard IRQ path.
 * Context: boot (init), interrupt (handler).
 * See: docs/input.md
 */
#include "drivers/ps2.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "drivers/kbd.h"
#include "drivers/mouse.h"
#include "lib/log.h"

#include <ember/errno.h>

#define PS2_DATA           0x60
#define PS2_STATUS         0x64 /* read */
#define PS2_COMMAND        0x64 /* write */
#define PS2_STATUS_OBF     0x01 /* output buffer full: a byte to read */
#define PS2_STATUS_IBF     0x02 /* input buffer full: don't write yet */
#define PS2_STATUS_AUX     0x20 /* the waiting byte is from the mouse */
#define PS2_NO_CONTROLLER  0xff /* what a floating bus reads as */
#define CMD_READ_CONFIG    0x20
#define CMD_WRITE_CONFIG   0x60
#define CMD_DISABLE_AUX    0xa7
#define CMD_ENABLE_AUX     0xa8
#define CMD_TEST_AUX       0xa9
#define CMD_SELF_TEST      0xaa
#define CMD_TEST_KBD       0xab
#define CMD_DISABLE_KBD    0xad
#define CMD_ENABLE_KBD     0xae
#define CMD_WRITE_AUX      0xd4 /* the next data byte goes to the mouse */
#define SELF_TEST_OK       0x55
#define PORT_TEST_OK       0x00
#define CONFIG_KBD_IRQ     0x01
#define CONFIG_AUX_IRQ     0x02
#define CONFIG_KBD_CLK_OFF 0x10
#define CONFIG_AUX_CLK_OFF 0x20
#define CONFIG_TRANSLATE   0x40
#define PS2_TIMEOUT_MS     50 /* QEMU answers at once; real ones in < 20 ms */
#define PS2_FLUSH_MAX      32 /* bytes at most in a stale output buffer */
#define PS2_IRQ_MAX_BYTES  64 /* bound on one handler run */
#define PS2_RESENDS        3

static struct {
    bool has_aux; /* written at boot */
} ps2;

static uint64_t deadline(void)
{
    return rdtsc() + tsc_hz() / 1000 * PS2_TIMEOUT_MS;
}

static int wait_writable(void)
{
    uint64_t end = deadline();

    while (inb(PS2_STATUS) & PS2_STATUS_IBF) {
        if (rdtsc() > end)
            return -EIO;
    }
    return 0;
}

static int write_command(uint8_t cmd)
{
    int err = wait_writable();
    if (err == 0)
        outb(PS2_COMMAND, cmd);
    return err;
}

static int write_data(uint8_t byte)
{
    int err = wait_writable();
    if (err == 0)
        outb(PS2_DATA, byte);
    return err;
}

/*
 * Polls for a byte from `port`; controller replies count as the keyboard
 * port. A byte from the other port (a key pressed during boot) is dropped.
 */
static int read_from(unsigned port, uint8_t *out)
{
    uint64_t end = deadline();

    while (rdtsc() <= end) {
        uint8_t status = inb(PS2_STATUS);
        if (!(status & PS2_STATUS_OBF))
            continue;
        uint8_t data = inb(PS2_DATA);
        unsigned from = (status & PS2_STATUS_AUX) ? PS2_PORT_AUX : PS2_PORT_KBD;
        if (from == port) {
            *out = data;
            return 0;
        }
    }
    return -EIO;
}

static int controller_query(uint8_t cmd, uint8_t *reply)
{
    int err = write_command(cmd);
    if (err == 0)
        err = read_from(PS2_PORT_KBD, reply);
    return err;
}

static int write_config(uint8_t config)
{
    int err = write_command(CMD_WRITE_CONFIG);
    if (err == 0)
        err = write_data(config);
    return err;
}

int ps2_device_command(unsigned port, uint8_t cmd)
{
    for (int i = 0; i < PS2_RESENDS; i++) {
        int err = 0;
        if (port == PS2_PORT_AUX)
            err = write_command(CMD_WRITE_AUX);
        if (err == 0)
            err = write_data(cmd);
        uint8_t reply = 0;
        if (err == 0)
            err = read_from(port, &reply);
        if (err < 0)
            return err;
        if (reply == PS2_ACK)
            return 0;
        if (reply != PS2_RESEND)
            return -EIO;
    }
    return -EIO;
}

int ps2_kbd_write(uint8_t byte)
{
    return write_data(byte);
}

bool ps2_has_mouse(void)
{
    return ps2.has_aux;
}

static void ps2_irq(struct trap_frame *f)
{
    (void)f;
    for (int i = 0; i < PS2_IRQ_MAX_BYTES; i++) {
        uint8_t status = inb(PS2_STATUS);
        if (!(status & PS2_STATUS_OBF))
            break;
        uint8_t data = inb(PS2_DATA);
        if (status & PS2_STATUS_AUX)
            mouse_receive(data);
        else
            kbd_receive(data);
    }
}

/* Steps 1-4: quiet both ports, empty the buffer, configure, self-test. */
static int controller_reset(uint8_t *config)
{
    int err;

    if (inb(PS2_STATUS) == PS2_NO_CONTROLLER)
        return -ENODEV;
    if ((err = write_command(CMD_DISABLE_KBD)) < 0 ||
        (err = write_command(CMD_DISABLE_AUX)) < 0)
        return err;
    for (int i = 0; i < PS2_FLUSH_MAX && (inb(PS2_STATUS) & PS2_STATUS_OBF);
         i++)
        inb(PS2_DATA);
    if ((err = controller_query(CMD_READ_CONFIG, config)) < 0)
        return err;
    *config &=
        (uint8_t) ~(CONFIG_KBD_IRQ | CONFIG_AUX_IRQ | CONFIG_KBD_CLK_OFF);
    *config |= CONFIG_TRANSLATE;
    if ((err = write_config(*config)) < 0)
        return err;
    uint8_t reply = 0;
    if ((err = controller_query(CMD_SELF_TEST, &reply)) < 0)
        return err;
    if (reply != SELF_TEST_OK) {
        klog(LOG_ERR, "ps2: controller self-test answered 0x%x", reply);
        return -EIO;
    }
    /* Some controllers reset themselves in the self-test: set it again. */
    return write_config(*config);
}

/* Step 5: a second port exists if enabling it clears its clock-off bit. */
static bool probe_aux(void)
{
    uint8_t config = 0;

    if (write_command(CMD_ENABLE_AUX) < 0 ||
        controller_query(CMD_READ_CONFIG, &config) < 0)
        return false;
    write_command(CMD_DISABLE_AUX);
    return !(config & CONFIG_AUX_CLK_OFF);
}

static bool port_test(uint8_t cmd, const char *what)
{
    uint8_t reply = 0xff;

    if (controller_query(cmd, &reply) < 0 || reply != PORT_TEST_OK) {
        klog(LOG_WARN, "ps2: %s port failed its test (0x%x)", what, reply);
        return false;
    }
    return true;
}

int ps2_init(void)
{
    uint8_t config;
    int err = controller_reset(&config);

    if (err < 0) {
        klog(LOG_ERR, "ps2: no working controller (%d)", err);
        return err;
    }
    ps2.has_aux = probe_aux() && port_test(CMD_TEST_AUX, "mouse");
    if (!port_test(CMD_TEST_KBD, "keyboard"))
        return -EIO;
    write_command(CMD_ENABLE_KBD);
    if (ps2.has_aux)
        write_command(CMD_ENABLE_AUX);
    if ((err = kbd_init()) < 0)
        klog(LOG_WARN, "ps2: keyboard did not answer (%d)", err);
    if (ps2.has_aux && mouse_init() < 0) {
        klog(LOG_WARN, "ps2: mouse did not answer; no mouse");
        ps2.has_aux = false;
    }
    config |= CONFIG_KBD_IRQ;
    if (ps2.has_aux)
        config = (uint8_t)((config | CONFIG_AUX_IRQ) & ~CONFIG_AUX_CLK_OFF);
    if ((err = write_config(config)) < 0)
        return err;
    irq_register(IRQ_KEYBOARD, ps2_irq);
    if (ps2.has_aux)
        irq_register(IRQ_MOUSE, ps2_irq);
    klog(LOG_INFO, "ps2: keyboard%s ready (scancode set 1, translated)",
         ps2.has_aux ? " and mouse" : "");
    return 0;
}
