/*
 * ELF64 executables: validate one and turn it into a load plan.
 *
 * elf_plan_load() reads the ELF header and program headers through a read
 * callback, checks everything execve must be able to trust, and fills a
 * struct elf_plan: the PT_LOAD segments with their final addresses and
 * rights, the entry point, and the program-header facts the auxiliary vector
 * needs. It maps nothing and touches no hardware, so the same code runs in
 * the kernel (the callback reads through the file API) and in the host tests
 * (the callback reads a buffer). Any file it cannot fully trust is refused
 * with -ENOEXEC and one log line saying why: the loader that follows may then
 * map the plan without checking again.
 *
 * Portable: also built into tests/host/test_elf.c.
 * See: docs/syscalls.md
 */
#pragma once

#include <ember/limits.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the file format (System V gABI, AMD64 psABI) ---- */

#define ELF_NIDENT     16
#define ELF_MAG0       0x7f /* e_ident[0..3] = 0x7f 'E' 'L' 'F' */
#define ELF_CLASS64    2    /* e_ident[EI_CLASS] */
#define ELF_DATA2LSB   1    /* e_ident[EI_DATA]: little endian */
#define ELF_EV_CURRENT 1    /* e_ident[EI_VERSION] and e_version */
#define ELF_OSABI_SYSV 0    /* e_ident[EI_OSABI]: what musl-gcc emits */
#define ELF_OSABI_GNU  3    /* also accepted: "GNU/Linux" */
#define ELF_EI_CLASS   4
#define ELF_EI_DATA    5
#define ELF_EI_VERSION 6
#define ELF_EI_OSABI   7

#define ELF_ET_EXEC   2  /* fixed-address executable */
#define ELF_ET_DYN    3  /* position independent: static-PIE here */
#define ELF_EM_X86_64 62 /* e_machine */

#define ELF_PT_NULL    0
#define ELF_PT_LOAD    1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP  3
#define ELF_PT_PHDR    6
#define ELF_PT_TLS     7

#define ELF_PF_X 0x1
#define ELF_PF_W 0x2
#define ELF_PF_R 0x4

struct elf64_ehdr {
    uint8_t e_ident[ELF_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr is 56 bytes");

#define ELF64_SHDR_SIZE 64 /* e_shentsize; sections are never read */

/* ---- Ember's limits ---- */

/* The user half's bounds come from the one header that sets them. */
#define ELF_USER_TOP    USER_TOP
#define ELF_USER_BOTTOM USER_BOTTOM
#define ELF_PAGE_SIZE   4096ull

/*
 * Where a static-PIE image is placed: its lowest page goes here. A fixed
 * bias (no randomisation yet), 4 MiB aligned so that any segment alignment up
 * to ELF_MAX_ALIGN is kept, and high enough that brk and mmap below it are
 * not crowded.
 */
#define ELF_PIE_BASE 0x0000555555400000ull

#define ELF_MAX_ALIGN 0x200000ull /* 2 MiB: the most ld has ever asked for */
#define ELF_MAX_PHNUM 64 /* Linux allows 64 KiB of phdrs; 64 is ample */
#define ELF_MAX_LOADS 16 /* musl-gcc output has 4 */

/* ---- the interface ---- */

/*
 * Where the file comes from. read() copies exactly len bytes at offset off
 * into buf and returns 0 or a negative errno. elf_plan_load() only asks for
 * ranges inside [0, size), so read() never sees a short file.
 */
struct elf_source {
    uint64_t size;    /* file size in bytes */
    const char *name; /* for log lines, e.g. the path given to execve */
    int (*read)(const struct elf_source *src, uint64_t off, void *buf,
                size_t len);
    void *priv; /* an open file in the kernel, a buffer on the host */
};

/* Segment rights, as the page tables will see them. */
#define ELF_SEG_R 0x1
#define ELF_SEG_W 0x2
#define ELF_SEG_X 0x4

/* One PT_LOAD, already biased: vaddr is where it goes in this process. */
struct elf_segment {
    uint64_t vaddr;  /* first byte; need not be page aligned */
    uint64_t memsz;  /* bytes in memory; [filesz, memsz) is zero-filled */
    uint64_t filesz; /* bytes copied from the file */
    uint64_t offset; /* where those bytes start in the file */
    uint32_t rights; /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X, never W and X */
};

struct elf_plan {
    uint64_t entry;     /* biased entry point, inside an X segment */
    uint64_t load_bias; /* added to every p_vaddr: 0 for ET_EXEC */
    bool static_pie;    /* ET_DYN without PT_INTERP */
    uint64_t phdr_addr; /* AT_PHDR: user address of the phdrs, or 0 */
    uint16_t phent;     /* AT_PHENT */
    uint16_t phnum;     /* AT_PHNUM */
    uint64_t image_lo;  /* first page of the lowest segment */
    uint64_t image_hi;  /* end of the highest segment's last page: brk start */
    uint32_t nsegs;
    struct elf_segment seg[ELF_MAX_LOADS]; /* ascending, page-disjoint */
};

/*
 * Validates the ELF file behind src and fills *plan. Returns 0, -ENOEXEC for
 * any file Ember will not run (with a log line naming src->name and the
 * reason), or the read callback's own error unchanged. On error *plan is
 * unspecified. plan->phdr_addr is 0 when no loaded segment holds the program
 * headers; the loader then copies them to the user stack itself.
 * Context: task; sleeps only if src->read does. Allocates nothing.
 */
int elf_plan_load(const struct elf_source *src, struct elf_plan *plan);
