/*
 * A process's user memory: its address space and the regions in it.
 *
 * A region (struct vma) is a range of user addresses with rights (read,
 * write, execute). Pages are supplied on first touch: a fault inside a
 * region maps a zeroed frame, a write to a copy-on-write page copies it,
 * and a fault just below the stack grows the stack down to its limit.
 * Outside every region a fault is the program's error (SIGSEGV).
 *
 * The layout, from the top: the stack ends at USER_TOP and may grow to
 * UVM_STACK_MAX; below it a guard gap nothing is mapped into; below that
 * mmap places regions top-down; the program's image and its brk heap sit
 * low, where the ELF file put them.
 *
 * Locking: a uvm belongs to one single-threaded process; only its own task
 * changes it (its syscalls and page faults), or its parent during fork
 * while the child does not run yet. /proc reads sizes without a lock: a
 * snapshot may be a little stale, never unsafe (no pointer is followed).
 * Context: task.
 * See: docs/memory.md, docs/usermode.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/layout.h"

#define UVM_PROT_READ  1u
#define UVM_PROT_WRITE 2u
#define UVM_PROT_EXEC  4u

#define UVM_STACK_MAX (8ull << 20)  /* the stack grows down to 8 MiB */
#define UVM_STACK_GAP (16ull << 20) /* never mapped below the stack limit */
#define UVM_MMAP_TOP  (USER_TOP - UVM_STACK_MAX - UVM_STACK_GAP)

enum vma_kind { VMA_ANON, VMA_STACK, VMA_HEAP, VMA_IMAGE };

struct vma {
    uaddr_t start, end; /* page-aligned, end exclusive */
    unsigned prot;      /* UVM_PROT_* */
    enum vma_kind kind;
    bool shared;      /* MAP_SHARED file pages: fork shares, never copies */
    struct vma *next; /* sorted by start */
};

struct vmm_space;

struct uvm {
    struct vmm_space *space;
    struct vma *vmas;
    uaddr_t brk_base; /* end of the image: the heap starts here */
    uaddr_t brk;      /* the current break (not page-aligned) */
};

/* An empty user space (kernel half shared). NULL when memory is short. */
struct uvm *uvm_new(void);

/*
 * The user space whose page tables are loaded now, or NULL when only the
 * kernel's are (kernel threads after exit). A user copy works on this one.
 */
struct uvm *uvm_current(void);

/* Frees every region, page and table. The space must not be loaded. */
void uvm_free(struct uvm *u);

/* Fork's copy: same regions, pages shared copy-on-write. 0 or -ENOMEM. */
int uvm_fork(struct uvm *parent, struct uvm **out);

/*
 * Adds a region [start, start + len) (page-aligned), replacing whatever was
 * mapped there (MAP_FIXED semantics). 0, -EINVAL, -ENOMEM.
 */
int uvm_add(struct uvm *u, uaddr_t start, uint64_t len, unsigned prot,
            enum vma_kind kind);

/* Maps every page of [start, start + len) now (exec's image and stack). */
int uvm_populate(struct uvm *u, uaddr_t start, uint64_t len);

/* Writes kernel bytes into (populated) user pages, ignoring their rights. */
int uvm_write(struct uvm *u, uaddr_t u_dst, const void *src, size_t n);

/* munmap: 0 or -EINVAL. Unmapping nothing is not an error. */
int uvm_unmap(struct uvm *u, uaddr_t start, uint64_t len);

/* mprotect: 0, -EINVAL, -ENOMEM (a part of the range is not mapped). */
int uvm_protect(struct uvm *u, uaddr_t start, uint64_t len, unsigned prot);

/*
 * mmap of anonymous memory: addr is a hint (or exact with fixed). Returns
 * the address, or -ENOMEM (no room, or more than the free frames), -EINVAL.
 */
int64_t uvm_mmap(struct uvm *u, uaddr_t addr, uint64_t len, unsigned prot,
                 bool fixed);

/* brk: returns the new break, or the old one when it cannot move. */
uaddr_t uvm_brk(struct uvm *u, uaddr_t want);

/*
 * Maps `frame` (whose owner the caller hands over) at the page `addr`
 * inside a region, read-only and copy-on-write: reads see the frame
 * itself (a page-cache page, shared with the cache and other programs),
 * the first write copies it if anyone else still owns it. 0, -EFAULT (no
 * region there), -EEXIST (already mapped) or -ENOMEM; on an error the
 * caller keeps its owner of frame.
 */
int uvm_map_frame(struct uvm *u, uaddr_t addr, paddr_t frame);

/*
 * uvm_map_frame() for MAP_SHARED: the frame is mapped with the region's
 * own rights, writable if the region is, never copied, and the region is
 * marked shared so that fork shares it too. Same returns.
 */
int uvm_map_frame_shared(struct uvm *u, uaddr_t addr, paddr_t frame);

/*
 * Resolves a fault at addr in u (write / instruction fetch as flagged).
 * 0: resolved, run the instruction again; -EFAULT: a bad access (SIGSEGV);
 * -ENOMEM: no frame left (the process is killed).
 */
int uvm_fault(struct uvm *u, uaddr_t addr, bool write, bool exec);

/* Bytes of user address space in regions, and present pages. */
uint64_t uvm_mapped_bytes(const struct uvm *u);
uint64_t uvm_resident_pages(struct uvm *u);

/* The region containing addr, or NULL. */
struct vma *uvm_find(struct uvm *u, uaddr_t addr);
