/*
 * PCI configuration space through the legacy ports 0xCF8/0xCFC.
 *
 * Configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2):
 * the dword written to 0xCF8 has the enable bit 31, the bus in bits 16-23,
 * the device in 11-15, the function in 8-10 and the register (a multiple
 * of four) in 2-7; 0xCFC then reads or writes that register. The search
 * walks every bus and device, and a device's functions 1-7 only when its
 * header says it has several, as the specification allows.
 *
 * Locking: interrupts off around each address-then-data pair.
 * Context: task or boot.
 * See: docs/storage.md
 */
#include "drivers/pci.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"

#define PCI_PORT_ADDR   0xcf8
#define PCI_PORT_DATA   0xcfc
#define PCI_ENABLE      0x80000000u
#define PCI_BUSES       256
#define PCI_DEVICES     32
#define PCI_FUNCTIONS   8
#define PCI_BUS_SHIFT   16
#define PCI_DEV_SHIFT   11
#define PCI_FN_SHIFT    8
#define PCI_OFFSET_MASK 0xfc
#define BITS_PER_BYTE   8
#define WORD_MASK       0xffffu
#define CLASS_SHIFT     24 /* in PCI_CLASS_REV: class, subclass, prog-if */
#define SUBCLASS_SHIFT  16

static uint32_t address(struct pci_addr a, uint8_t offset)
{
    return PCI_ENABLE | (uint32_t)a.bus << PCI_BUS_SHIFT |
           (uint32_t)a.dev << PCI_DEV_SHIFT | (uint32_t)a.fn << PCI_FN_SHIFT |
           (offset & PCI_OFFSET_MASK);
}

uint32_t pci_read32(struct pci_addr a, uint8_t offset)
{
    uint64_t flags = irq_save();
    outl(PCI_PORT_ADDR, address(a, offset));
    uint32_t v = inl(PCI_PORT_DATA);
    irq_restore(flags);
    return v;
}

void pci_write32(struct pci_addr a, uint8_t offset, uint32_t v)
{
    uint64_t flags = irq_save();
    outl(PCI_PORT_ADDR, address(a, offset));
    outl(PCI_PORT_DATA, v);
    irq_restore(flags);
}

uint16_t pci_read16(struct pci_addr a, uint8_t offset)
{
    unsigned shift = (offset & 2) * BITS_PER_BYTE;
    return (uint16_t)(pci_read32(a, offset) >> shift);
}

void pci_write16(struct pci_addr a, uint8_t offset, uint16_t v)
{
    unsigned shift = (offset & 2) * BITS_PER_BYTE;
    uint32_t d = pci_read32(a, offset);
    d = (d & ~(WORD_MASK << shift)) | (uint32_t)v << shift;
    pci_write32(a, offset, d);
}

static bool matches(struct pci_addr a, uint8_t class_code, uint8_t subclass)
{
    uint32_t cr = pci_read32(a, PCI_CLASS_REV);
    return (uint8_t)(cr >> CLASS_SHIFT) == class_code &&
           (uint8_t)(cr >> SUBCLASS_SHIFT) == subclass;
}

bool pci_find_class(uint8_t class_code, uint8_t subclass, struct pci_addr *out)
{
    for (unsigned bus = 0; bus < PCI_BUSES; bus++) {
        for (uint8_t dev = 0; dev < PCI_DEVICES; dev++) {
            struct pci_addr a = {(uint8_t)bus, dev, 0};
            if (pci_read16(a, PCI_VENDOR_ID) == PCI_NO_VENDOR)
                continue;
            uint8_t header = (uint8_t)(pci_read32(a, PCI_HEADER_TYPE & ~3) >>
                                       ((PCI_HEADER_TYPE & 3) * BITS_PER_BYTE));
            unsigned fns = (header & PCI_HEADER_MULTI_FN) ? PCI_FUNCTIONS : 1;
            for (uint8_t fn = 0; fn < fns; fn++) {
                a.fn = fn;
                if (pci_read16(a, PCI_VENDOR_ID) == PCI_NO_VENDOR)
                    continue;
                if (matches(a, class_code, subclass)) {
                    *out = a;
                    return true;
                }
            }
        }
    }
    return false;
}
