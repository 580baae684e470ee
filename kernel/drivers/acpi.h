/*
 * ACPI, as far as powering off and the clock need it: the tables that say
 * where the PM1 control registers are, which sleep type means "soft off"
 * (S5), and where the PM timer is.
 *
 * acpi_init() walks RSDP -> RSDT or XSDT -> FADT ("FACP") -> DSDT and
 * finds the \_S5 package in the DSDT's AML (or an SSDT's). acpi_power_off()
 * then writes SLP_TYP | SLP_EN to PM1a (and PM1b) control, the sequence of
 * the ACPI specification, section 7.4.2 ("\_S5 Soft Off").
 *
 * Context: boot (acpi_init), task (acpi_power_off).
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/tsc.h"
#include "bootinfo.h"

/* What the tables told us; `found` is false without a usable FADT/_S5. */
struct acpi_power {
    bool found;
    uint8_t revision;    /* RSDP revision: 0 for ACPI 1.0 (RSDT) */
    uint16_t pm1a_cnt;   /* PM1a control port */
    uint16_t pm1b_cnt;   /* PM1b control port, 0 if none */
    uint16_t smi_cmd;    /* where ACPI_ENABLE is written, 0 if none */
    uint8_t acpi_enable; /* the value that turns ACPI mode on */
    uint8_t slp_typ_a;   /* \_S5's first two package elements */
    uint8_t slp_typ_b;
};

/*
 * Parses the tables from the RSDP the boot loader passed. Logs what it
 * found, or one line saying what is missing. Returns 0, -ENODEV (no RSDP or
 * no FADT), -ENOENT (no \_S5 in the AML) or -EUCLEAN (a table whose
 * checksum or length is wrong). Boot.
 */
int acpi_init(const struct bootinfo *bi);

/*
 * The PM timer as a reference for calibrating the TSC, or NULL when the
 * FADT declares none (or acpi_init() has not run). Boot.
 */
const struct tsc_reference *acpi_pm_timer(void);

/* The parsed facts (found == false before acpi_init() or after failure). */
const struct acpi_power *acpi_power_info(void);

/*
 * Enters S5: the machine turns off and this does not return. Returns
 * -ENODEV if acpi_init() found no way, or -EIO if the machine is still on
 * a second later. Context: task, or boot with interrupts on.
 */
int acpi_power_off(void);
