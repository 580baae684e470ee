/*
 * ACPI tables for power-off and the clock: RSDP, RSDT/XSDT, FADT, \_S5 in
 * the AML, and the PM timer.
 *
 * Every table is read through the direct map, after checking that it lies
 * inside it, that its length is sane and that its bytes sum to zero: the
 * tables come from firmware, and a bad one must cost a log line, not a
 * fault. The AML is not interpreted. \_S5 is declared by every firmware we
 * meet as `Name (_S5, Package () { a, b, ... })`, so its bytes are NameOp
 * (0x08), the name "_S5_" (optionally behind a root prefix '\'),
 * PackageOp (0x12), a PkgLength, the element count, and then the elements,
 * each a ZeroOp, OneOp or an integer behind a BytePrefix (ACPI 6.4,
 * section 20.2). That is enough for QEMU's and most PCs' tables; Linux's
 * ACPICA interprets the method properly.
 *
 * QEMU's pc machine (PIIX4 PM) reports PM1a control at 0x604, SMI_CMD 0xB2
 * with ACPI_ENABLE 0xF1, and \_S5 = {0, 0, 0, 0}.
 *
 * The PM timer is a free-running counter at 3.579545 MHz (ACPI 6.4,
 * section 4.8.3.3), 24 bits wide unless the FADT's TMR_VAL_EXT flag says
 * 32. It needs no interrupt, so the TSC is calibrated against it
 * (arch/x86_64/tsc.c): acpi_pm_timer() hands the clock a reference.
 * QEMU's pc machine has it at port 0x608.
 *
 * Locking: acpi.power is written once at boot, then read-only.
 * Context: boot (parsing), task (power-off).
 * See: docs/storage.md
 */
#include "drivers/acpi.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "lib/portable.h"
#include "mm/layout.h"
#include "mm/vmm.h"

#define ACPI_HEADER_BYTES    36
#define ACPI_TABLE_MAX_BYTES (1u << 20) /* bigger than any sane table */
#define RSDP_V1_BYTES        20
#define RSDP_V2_BYTES        36
#define RSDP_REVISION        15 /* byte offsets in the RSDP */
#define RSDP_RSDT            16
#define RSDP_XSDT            24

/* FADT byte offsets (ACPI 6.4, table 5.9). */
#define FADT_DSDT        40
#define FADT_SMI_CMD     48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT    64
#define FADT_PM1B_CNT    68
#define FADT_PM_TMR_BLK  76
#define FADT_PM_TMR_LEN  91
#define FADT_FLAGS       112
#define FADT_X_DSDT      140
#define FADT_X_DSDT_END  148
#define FADT_MIN_BYTES   72  /* through PM1b_CNT_BLK */
#define FADT_TMR_BYTES   116 /* through Flags */

/* The PM timer (ACPI 6.4, sections 4.8.3.3 and 5.2.9, Flags bit 8). */
#define PM_TMR_HZ          3579545u
#define PM_TMR_LEN_BYTES   4
#define FADT_F_TMR_VAL_EXT (1u << 8)
#define PM_TMR_MASK_24     0xffffffu
#define PM_TMR_MASK_32     0xffffffffu

/* PM1 control register bits (ACPI 6.4, table 4.13). */
#define PM1_SCI_EN        0x0001
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK  0x7
#define PM1_SLP_EN        0x2000
#define ACPI_ENABLE_MS    1000 /* wait for SCI_EN after ACPI_ENABLE */
#define ACPI_OFF_WAIT_MS  1000 /* still running after this: it failed */

/* AML opcodes (ACPI 6.4, section 20.2). */
#define AML_ZERO_OP     0x00
#define AML_ONE_OP      0x01
#define AML_NAME_OP     0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_PACKAGE_OP  0x12
#define AML_ROOT_CHAR   '\\'

static struct {
    struct acpi_power power;
    uint16_t pm_tmr_port; /* 0: no PM timer */
    struct tsc_reference pm_tmr;
} acpi;

/* The table at phys, if it is in the direct map with a sane, summing header. */
static const uint8_t *map_table(uint64_t phys, const char *sig)
{
    if (phys == 0 || phys + ACPI_HEADER_BYTES > vmm_hhdm_bytes())
        return NULL;
    const uint8_t *t = hhdm_ptr(phys);
    uint32_t len;
    memcpy(&len, t + 4, sizeof len);
    if (len < ACPI_HEADER_BYTES || len > ACPI_TABLE_MAX_BYTES ||
        phys + len > vmm_hhdm_bytes())
        return NULL;
    if (sig && memcmp(t, sig, 4) != 0)
        return NULL;
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum += t[i];
    if (sum != 0) {
        klog(LOG_WARN, "acpi: table %.4s at %#lx has a bad checksum",
             (const char *)t, (unsigned long)phys);
        return NULL;
    }
    return t;
}

static uint32_t table_len(const uint8_t *t)
{
    uint32_t len;
    memcpy(&len, t + 4, sizeof len);
    return len;
}

/* One package element that is an integer; -1 for anything else. */
static int aml_small_int(const uint8_t *p, const uint8_t *end, size_t *used)
{
    if (p >= end)
        return -1;
    if (*p == AML_ZERO_OP || *p == AML_ONE_OP) {
        *used = 1;
        return *p;
    }
    if (*p == AML_BYTE_PREFIX && p + 1 < end) {
        *used = 2;
        return p[1];
    }
    return -1;
}

/* Looks for Name(_S5_, Package(){a, b, ...}) in an AML table's body. */
static int find_s5(const uint8_t *t, uint8_t *a, uint8_t *b)
{
    const uint8_t *end = t + table_len(t);
    for (const uint8_t *p = t + ACPI_HEADER_BYTES; p + 4 <= end; p++) {
        if (memcmp(p, "_S5_", 4) != 0)
            continue;
        const uint8_t *q = p - 1;
        if (*q == AML_ROOT_CHAR)
            q--;
        if (*q != AML_NAME_OP || p + 5 > end || p[4] != AML_PACKAGE_OP)
            continue;
        const uint8_t *e = p + 5;
        e += 1 + (*e >> 6); /* PkgLength: lead byte + 0..3 more bytes */
        e += 1;             /* NumElements */
        size_t n1 = 0, n2 = 0;
        int va = aml_small_int(e, end, &n1);
        int vb = va < 0 ? -1 : aml_small_int(e + n1, end, &n2);
        if (va < 0 || vb < 0)
            continue;
        *a = (uint8_t)va;
        *b = (uint8_t)vb;
        return 0;
    }
    return -ENOENT;
}

/* The FADT and every SSDT, through the RSDT (4-byte) or XSDT (8-byte). */
static int walk_root(const uint8_t *root, unsigned entry_bytes,
                     const uint8_t **fadt, const uint8_t **ssdts, int max)
{
    uint32_t n = (table_len(root) - ACPI_HEADER_BYTES) / entry_bytes;
    int nssdt = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t phys = 0;
        memcpy(&phys, root + ACPI_HEADER_BYTES + i * entry_bytes, entry_bytes);
        const uint8_t *t = map_table(phys, NULL);
        if (t == NULL)
            continue;
        if (memcmp(t, "FACP", 4) == 0)
            *fadt = t;
        else if (memcmp(t, "SSDT", 4) == 0 && nssdt < max)
            ssdts[nssdt++] = t;
    }
    return nssdt;
}

static const uint8_t *find_root(const struct bootinfo *bi, unsigned *entry)
{
    const uint8_t *rsdp = bi->rsdp;
    if (!bi->has_rsdp || memcmp(rsdp, "RSD PTR ", 8) != 0)
        return NULL;
    acpi.power.revision = rsdp[RSDP_REVISION];
    if (acpi.power.revision >= 2 && bi->rsdp_len >= RSDP_V2_BYTES) {
        uint64_t xsdt;
        memcpy(&xsdt, rsdp + RSDP_XSDT, sizeof xsdt);
        const uint8_t *t = map_table(xsdt, "XSDT");
        if (t) {
            *entry = 8;
            return t;
        }
    }
    uint32_t rsdt;
    memcpy(&rsdt, rsdp + RSDP_RSDT, sizeof rsdt);
    *entry = 4;
    return map_table(rsdt, "RSDT");
}

static uint32_t pm_timer_read(void)
{
    return inl(acpi.pm_tmr_port);
}

/* The PM timer's port and width, if the FADT declares one. */
static void read_pm_timer(const uint8_t *fadt)
{
    uint32_t port, flags;

    if (table_len(fadt) < FADT_TMR_BYTES ||
        fadt[FADT_PM_TMR_LEN] != PM_TMR_LEN_BYTES)
        return;
    memcpy(&port, fadt + FADT_PM_TMR_BLK, 4);
    memcpy(&flags, fadt + FADT_FLAGS, 4);
    if (port == 0 || port > UINT16_MAX)
        return;
    acpi.pm_tmr_port = (uint16_t)port;
    acpi.pm_tmr = (struct tsc_reference){
        .name = "ACPI PM timer",
        .hz = PM_TMR_HZ,
        .mask = (flags & FADT_F_TMR_VAL_EXT) ? PM_TMR_MASK_32 : PM_TMR_MASK_24,
        .read = pm_timer_read,
    };
}

const struct tsc_reference *acpi_pm_timer(void)
{
    return acpi.pm_tmr_port ? &acpi.pm_tmr : NULL;
}

/* Reads the FADT's ports and finds its DSDT. */
static const uint8_t *read_fadt(const uint8_t *fadt)
{
    struct acpi_power *pw = &acpi.power;
    uint32_t v32;
    uint64_t dsdt = 0;

    memcpy(&v32, fadt + FADT_PM1A_CNT, 4);
    pw->pm1a_cnt = (uint16_t)v32;
    memcpy(&v32, fadt + FADT_PM1B_CNT, 4);
    pw->pm1b_cnt = (uint16_t)v32;
    memcpy(&v32, fadt + FADT_SMI_CMD, 4);
    pw->smi_cmd = (uint16_t)v32;
    pw->acpi_enable = fadt[FADT_ACPI_ENABLE];
    read_pm_timer(fadt);
    if (table_len(fadt) >= FADT_X_DSDT_END)
        memcpy(&dsdt, fadt + FADT_X_DSDT, 8);
    if (dsdt == 0) {
        memcpy(&v32, fadt + FADT_DSDT, 4);
        dsdt = v32;
    }
    return map_table(dsdt, "DSDT");
}

int acpi_init(const struct bootinfo *bi)
{
    struct acpi_power *pw = &acpi.power;
    const uint8_t *fadt = NULL, *ssdts[8];
    unsigned entry = 0;

    const uint8_t *root = find_root(bi, &entry);
    if (root == NULL) {
        klog(LOG_WARN, "acpi: no usable RSDP/RSDT; no ACPI power-off");
        return -ENODEV;
    }
    int nssdt = walk_root(root, entry, &fadt, ssdts, 8);
    if (fadt == NULL || table_len(fadt) < FADT_MIN_BYTES) {
        klog(LOG_WARN, "acpi: no FADT; no ACPI power-off");
        return -ENODEV;
    }
    const uint8_t *dsdt = read_fadt(fadt);
    if (pw->pm1a_cnt == 0 || dsdt == NULL) {
        klog(LOG_WARN, "acpi: FADT has no PM1a control or DSDT");
        return -EUCLEAN;
    }
    int err = find_s5(dsdt, &pw->slp_typ_a, &pw->slp_typ_b);
    for (int i = 0; err < 0 && i < nssdt; i++)
        err = find_s5(ssdts[i], &pw->slp_typ_a, &pw->slp_typ_b);
    if (err < 0) {
        klog(LOG_WARN, "acpi: no \\_S5 package in the AML; no power-off");
        return err;
    }
    pw->found = true;
    klog(LOG_INFO,
         "acpi: revision %u, PM1a control %#x, PM1b %#x, \\_S5 SLP_TYP "
         "%u/%u",
         pw->revision, pw->pm1a_cnt, pw->pm1b_cnt, pw->slp_typ_a,
         pw->slp_typ_b);
    return 0;
}

const struct acpi_power *acpi_power_info(void)
{
    return &acpi.power;
}

/* Firmware may leave the machine in legacy mode: ask it for ACPI mode. */
static void enable_acpi_mode(const struct acpi_power *pw)
{
    if ((inw(pw->pm1a_cnt) & PM1_SCI_EN) || pw->smi_cmd == 0 ||
        pw->acpi_enable == 0)
        return;
    outb(pw->smi_cmd, pw->acpi_enable);
    uint64_t deadline = tsc_ms_since_entry() + ACPI_ENABLE_MS;
    while (!(inw(pw->pm1a_cnt) & PM1_SCI_EN) && tsc_ms_since_entry() < deadline)
        ;
}

static uint16_t sleep_value(uint8_t typ)
{
    return (uint16_t)(((typ & PM1_SLP_TYP_MASK) << PM1_SLP_TYP_SHIFT) |
                      PM1_SLP_EN);
}

int acpi_power_off(void)
{
    const struct acpi_power *pw = &acpi.power;

    if (!pw->found)
        return -ENODEV;
    enable_acpi_mode(pw);
    outw(pw->pm1a_cnt, sleep_value(pw->slp_typ_a));
    if (pw->pm1b_cnt)
        outw(pw->pm1b_cnt, sleep_value(pw->slp_typ_b));
    uint64_t deadline = tsc_ms_since_entry() + ACPI_OFF_WAIT_MS;
    while (tsc_ms_since_entry() < deadline)
        ;
    return -EIO;
}
