/*
 * PCI configuration space through the legacy ports 0xCF8/0xCFC.
 *
 * Ember needs PCI for one thing so far: finding the IDE controller's
 * bus-master registers (BAR4) and letting it master the bus. Configuration
 * mechanism #1 is what every PC chipset since the PCI 2.0 days decodes and
 * what QEMU's pc machine (i440FX + PIIX3) offers: write an address to 0xCF8,
 * then read or write the dword at 0xCFC.
 *
 * Context: task or boot; each access is an address write followed by a data
 * access, done with interrupts off so no other access can come between.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* One function on the bus: bus 0-255, device 0-31, function 0-7. */
struct pci_addr {
    uint8_t bus;
    uint8_t dev;
    uint8_t fn;
};

/* Standard header offsets (PCI Local Bus Specification 3.0, 6.1). */
#define PCI_VENDOR_ID   0x00 /* 16 bits; 0xffff: no function here */
#define PCI_COMMAND     0x04 /* 16 bits */
#define PCI_CLASS_REV   0x08 /* class, subclass, prog-if, revision */
#define PCI_HEADER_TYPE 0x0e /* bit 7: multi-function device */
#define PCI_BAR0        0x10 /* BARs 0-5, four bytes apart */

#define PCI_CMD_IO          0x0001 /* respond to I/O space */
#define PCI_CMD_BUS_MASTER  0x0004 /* may master the bus (DMA) */
#define PCI_BAR_IO          0x1u   /* bit 0 of a BAR: an I/O-space BAR */
#define PCI_BAR_IO_MASK     0xfffffffcu
#define PCI_CLASS_STORAGE   0x01
#define PCI_SUBCLASS_IDE    0x01
#define PCI_NO_VENDOR       0xffff
#define PCI_HEADER_MULTI_FN 0x80

/* Reads / writes one aligned dword of a function's configuration space. */
uint32_t pci_read32(struct pci_addr a, uint8_t offset);
void pci_write32(struct pci_addr a, uint8_t offset, uint32_t v);

/* 16-bit access at an even offset (read-modify-write of the dword). */
uint16_t pci_read16(struct pci_addr a, uint8_t offset);
void pci_write16(struct pci_addr a, uint8_t offset, uint16_t v);

/*
 * Finds the first function of class/subclass on buses 0-255 in bus order.
 * Returns true and fills *out when one exists. Context: task or boot.
 */
bool pci_find_class(uint8_t class_code, uint8_t subclass, struct pci_addr *out);
