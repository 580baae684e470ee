/*
 * User memory: regions, demand paging, copy-on-write, stack growth, brk and
 * anonymous mmap.
 *
 * Regions live in a sorted singly linked list; a process has a few dozen at
 * most, so a walk is cheap and the code stays plain. Every operation on a
 * range first splits the regions at the range's ends (split_at()), so the
 * range is then a run of whole regions that can be removed or changed.
 *
 * Pages are supplied on first touch (uvm_fault()), and frames are counted
 * before a region is promised: mmap and brk refuse with -ENOMEM when the
 * request is larger than the free frames (where they can tell); a fault
 * that still finds no frame kills the process with an out-of-memory report
 * (docs/usermode.md states the policy). Either way the kernel lives.
 *
 * Locking: see uvm.h (one owner task). Context: task.
 * See: docs/memory.md, docs/usermode.md
 */
#include "mm/uvm.h"

#include <ember/errno.h>

#include "arch/x86_64/paging.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define UVM_KERNEL_SLACK 64 /* frames mmap leaves free for the kernel */

static uint64_t page_down(uint64_t a)
{
    return a & ~(PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
    return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/*
 * x86 pages have no "not readable" bit, so a page with no rights at all
 * (PROT_NONE) is mapped without VMM_USER: any access from ring 3 faults,
 * and the fault finds a region that allows nothing.
 */
static uint64_t pte_flags(unsigned prot)
{
    uint64_t f = (prot ? VMM_USER : 0) | VMM_OWNED;
    if (prot & UVM_PROT_WRITE)
        f |= VMM_WRITABLE;
    if (!(prot & UVM_PROT_EXEC))
        f |= VMM_NO_EXECUTE;
    return f;
}

struct uvm *uvm_new(void)
{
    struct uvm *u = kmalloc(sizeof *u);
    if (!u)
        return NULL;
    memset(u, 0, sizeof *u);
    u->space = vmm_space_create();
    if (!u->space) {
        kfree(u);
        return NULL;
    }
    u->space->uvm = u;
    return u;
}

struct uvm *uvm_current(void)
{
    return vmm_current()->uvm;
}

void uvm_free(struct uvm *u)
{
    struct vma *v = u->vmas;
    while (v) {
        struct vma *next = v->next;
        kfree(v);
        v = next;
    }
    vmm_space_destroy(u->space);
    kfree(u);
}

struct vma *uvm_find(struct uvm *u, uaddr_t addr)
{
    for (struct vma *v = u->vmas; v && v->start <= addr; v = v->next) {
        if (addr < v->end)
            return v;
    }
    return NULL;
}

/* Splits the region containing addr (if any) so that a region starts at addr.
 */
static int split_at(struct uvm *u, uaddr_t addr)
{
    struct vma *v = uvm_find(u, addr);
    if (!v || v->start == addr)
        return 0;
    struct vma *n = kmalloc(sizeof *n);
    if (!n)
        return -ENOMEM;
    *n = *v;
    n->start = addr;
    v->end = addr;
    v->next = n;
    return 0;
}

static void unmap_pages(struct uvm *u, uaddr_t start, uaddr_t end)
{
    for (uaddr_t a = start; a < end; a += PAGE_SIZE)
        vmm_unmap(u->space, a); /* -ENOENT for untouched pages: fine */
}

/* Removes every region inside [start, end), which split_at() aligned. */
static void remove_range(struct uvm *u, uaddr_t start, uaddr_t end)
{
    struct vma **p = &u->vmas;
    while (*p) {
        struct vma *v = *p;
        if (v->start >= start && v->end <= end) {
            unmap_pages(u, v->start, v->end);
            *p = v->next;
            kfree(v);
        } else {
            p = &v->next;
        }
    }
}

static bool range_ok(uaddr_t start, uint64_t len)
{
    return (start & (PAGE_SIZE - 1)) == 0 && len > 0 && start >= USER_BOTTOM &&
           start <= USER_TOP && len <= USER_TOP - start;
}

int uvm_add(struct uvm *u, uaddr_t start, uint64_t len, unsigned prot,
            enum vma_kind kind)
{
    len = page_up(len);
    if (!range_ok(start, len))
        return -EINVAL;
    uaddr_t end = start + len;
    int err = split_at(u, start);
    if (err == 0)
        err = split_at(u, end);
    if (err < 0)
        return err;
    struct vma *n = kmalloc(sizeof *n);
    if (!n)
        return -ENOMEM;
    remove_range(u, start, end);
    *n = (struct vma){.start = start, .end = end, .prot = prot, .kind = kind};
    struct vma **p = &u->vmas;
    while (*p && (*p)->start < start)
        p = &(*p)->next;
    n->next = *p;
    *p = n;
    return 0;
}

int uvm_unmap(struct uvm *u, uaddr_t start, uint64_t len)
{
    len = page_up(len);
    if (!range_ok(start, len))
        return -EINVAL;
    int err = split_at(u, start);
    if (err == 0)
        err = split_at(u, start + len);
    if (err < 0)
        return err;
    remove_range(u, start, start + len);
    return 0;
}

/* True if [start, end) is covered by regions with no hole. */
static bool covered(struct uvm *u, uaddr_t start, uaddr_t end)
{
    uaddr_t at = start;
    for (struct vma *v = u->vmas; v && at < end; v = v->next) {
        if (v->end <= at)
            continue;
        if (v->start > at)
            return false;
        at = v->end;
    }
    return at >= end;
}

static void reprotect_pages(struct uvm *u, struct vma *v)
{
    for (uaddr_t a = v->start; a < v->end; a += PAGE_SIZE) {
        paddr_t phys;
        uint64_t flags;
        if (vmm_translate(u->space, a, &phys, &flags) < 0)
            continue;
        uint64_t nf = pte_flags(v->prot) | (flags & VMM_COW);
        if (flags & VMM_COW)
            nf &= ~VMM_WRITABLE; /* stays read-only until the copy */
        vmm_set_flags(u->space, a, nf);
    }
}

int uvm_protect(struct uvm *u, uaddr_t start, uint64_t len, unsigned prot)
{
    len = page_up(len);
    if (!range_ok(start, len))
        return -EINVAL;
    uaddr_t end = start + len;
    if (!covered(u, start, end))
        return -ENOMEM;
    int err = split_at(u, start);
    if (err == 0)
        err = split_at(u, end);
    if (err < 0)
        return err;
    for (struct vma *v = u->vmas; v; v = v->next) {
        if (v->start >= start && v->end <= end) {
            v->prot = prot;
            reprotect_pages(u, v);
        }
    }
    return 0;
}

int uvm_populate(struct uvm *u, uaddr_t start, uint64_t len)
{
    for (uaddr_t a = page_down(start); a < start + len; a += PAGE_SIZE) {
        int err = uvm_fault(u, a, false, false);
        if (err == -EFAULT) /* not readable: fault it in as a write */
            err = uvm_fault(u, a, true, false);
        if (err < 0)
            return err;
    }
    return 0;
}

/* Maps frame at addr's page: copy-on-write, or shared and as the region
 * allows (which marks the region shared). */
static int map_frame(struct uvm *u, uaddr_t addr, paddr_t frame, bool shared)
{
    uint64_t page = page_down(addr);
    struct vma *v = uvm_find(u, page);
    paddr_t phys;
    uint64_t flags;
    if (!v)
        return -EFAULT;
    if (vmm_translate(u->space, page, &phys, &flags) == 0)
        return -EEXIST;
    uint64_t pte = pte_flags(v->prot);
    if (shared)
        v->shared = true;
    else
        pte = (pte & ~VMM_WRITABLE) | VMM_COW;
    return vmm_map(u->space, page, frame, pte);
}

int uvm_map_frame(struct uvm *u, uaddr_t addr, paddr_t frame)
{
    return map_frame(u, addr, frame, false);
}

int uvm_map_frame_shared(struct uvm *u, uaddr_t addr, paddr_t frame)
{
    return map_frame(u, addr, frame, true);
}

int uvm_write(struct uvm *u, uaddr_t u_dst, const void *src, size_t n)
{
    const uint8_t *s = src;
    while (n > 0) {
        paddr_t phys;
        uint64_t flags;
        if (vmm_translate(u->space, page_down(u_dst), &phys, &flags) < 0)
            return -EFAULT;
        size_t off = u_dst & (PAGE_SIZE - 1);
        size_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        memcpy((uint8_t *)hhdm_ptr(phys) + off, s, chunk);
        s += chunk;
        u_dst += chunk;
        n -= chunk;
    }
    return 0;
}

/*
 * Are there `pages` free frames (with a little left for the kernel)? If
 * not, the page cache gives back what the difference needs, if it can.
 */
static bool frames_available(uint64_t pages)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    if (pages + UVM_KERNEL_SLACK <= st.free_frames)
        return true;
    pmm_reclaim(pages + UVM_KERNEL_SLACK - st.free_frames);
    pmm_get_stats(&st);
    return pages + UVM_KERNEL_SLACK <= st.free_frames;
}

/* The highest free gap of len bytes below UVM_MMAP_TOP, or 0. */
static uaddr_t find_gap(struct uvm *u, uint64_t len)
{
    uaddr_t best = 0;
    uaddr_t prev_end = USER_BOTTOM;
    for (struct vma *v = u->vmas;; v = v->next) {
        uaddr_t next_start = v ? v->start : UVM_MMAP_TOP;
        if (next_start > UVM_MMAP_TOP)
            next_start = UVM_MMAP_TOP;
        if (next_start > prev_end && next_start - prev_end >= len)
            best = next_start - len;
        if (!v || v->start >= UVM_MMAP_TOP)
            break;
        if (v->end > prev_end)
            prev_end = v->end;
    }
    return best;
}

/* True if no region overlaps [start, end). */
static bool range_free(struct uvm *u, uaddr_t start, uaddr_t end)
{
    for (struct vma *v = u->vmas; v; v = v->next) {
        if (v->start < end && v->end > start)
            return false;
    }
    return true;
}

int64_t uvm_mmap(struct uvm *u, uaddr_t addr, uint64_t len, unsigned prot,
                 bool fixed)
{
    len = page_up(len);
    if (len == 0 || len > USER_TOP)
        return -EINVAL;
    if (!frames_available(len / PAGE_SIZE))
        return -ENOMEM;
    if (fixed) {
        if (!range_ok(addr, len))
            return -EINVAL;
    } else {
        /* The hint is taken when it is free and below the stack's gap. */
        uaddr_t a = page_down(addr);
        if (!(addr && range_ok(a, len) && a + len <= UVM_MMAP_TOP &&
              range_free(u, a, a + len)))
            a = find_gap(u, len);
        if (a == 0)
            return -ENOMEM;
        addr = a;
    }
    int err = uvm_add(u, addr, len, prot, VMA_ANON);
    return err < 0 ? err : (int64_t)addr;
}

uaddr_t uvm_brk(struct uvm *u, uaddr_t want)
{
    if (want < u->brk_base)
        return u->brk;
    uaddr_t old_top = page_up(u->brk), new_top = page_up(want);
    if (new_top > UVM_MMAP_TOP)
        return u->brk;
    if (new_top > old_top) {
        /* Growing must not run into another region. */
        for (struct vma *v = u->vmas; v; v = v->next) {
            if (v->start < new_top && v->end > old_top && v->kind != VMA_HEAP)
                return u->brk;
        }
        if (!frames_available((new_top - old_top) / PAGE_SIZE) ||
            uvm_add(u, old_top, new_top - old_top,
                    UVM_PROT_READ | UVM_PROT_WRITE, VMA_HEAP) < 0)
            return u->brk;
    } else if (new_top < old_top) {
        uvm_unmap(u, new_top, old_top - new_top);
    }
    u->brk = want;
    return want;
}

/* The stack region just above addr, if addr is where it may grow to. */
static struct vma *stack_for(struct uvm *u, uaddr_t addr)
{
    for (struct vma *v = u->vmas; v; v = v->next) {
        if (v->kind == VMA_STACK && v->start > addr &&
            addr >= USER_TOP - UVM_STACK_MAX)
            return v;
    }
    return NULL;
}

static int copy_on_write(struct uvm *u, uaddr_t page, paddr_t old,
                         struct vma *v)
{
    if (pmm_sharers(old) == 1) /* the other sharers are gone: just take it */
        return vmm_set_flags(u->space, page, pte_flags(v->prot));
    paddr_t fresh = pmm_alloc();
    if (fresh == 0)
        return -ENOMEM;
    memcpy(hhdm_ptr(fresh), hhdm_ptr(old), PAGE_SIZE);
    vmm_unmap(u->space, page); /* drops our share of old */
    int err = vmm_map(u->space, page, fresh, pte_flags(v->prot));
    if (err < 0)
        pmm_free(fresh);
    return err;
}

int uvm_fault(struct uvm *u, uaddr_t addr, bool write, bool exec)
{
    uaddr_t page = page_down(addr);
    struct vma *v = uvm_find(u, addr);

    if (!v) {
        v = stack_for(u, addr);
        if (!v)
            return -EFAULT;
        v->start = page; /* the stack grows down to here */
    }
    if ((write && !(v->prot & UVM_PROT_WRITE)) ||
        (exec && !(v->prot & UVM_PROT_EXEC)) ||
        (!write && !exec && !(v->prot & UVM_PROT_READ)))
        return -EFAULT;

    paddr_t phys;
    uint64_t flags;
    if (vmm_translate(u->space, page, &phys, &flags) == 0) {
        if (write && (flags & VMM_COW))
            return copy_on_write(u, page, phys, v);
        return 0; /* present and allowed: another fault got here first */
    }
    int err = vmm_map_new(u->space, page, pte_flags(v->prot));
    return err == -ENOMEM ? -ENOMEM : err < 0 ? -EFAULT : 0;
}

int uvm_fork(struct uvm *parent, struct uvm **out)
{
    struct uvm *c = uvm_new();
    if (!c)
        return -ENOMEM;
    c->brk_base = parent->brk_base;
    c->brk = parent->brk;
    struct vma **tail = &c->vmas;
    for (struct vma *v = parent->vmas; v; v = v->next) {
        struct vma *n = kmalloc(sizeof *n);
        if (!n) {
            uvm_free(c);
            return -ENOMEM;
        }
        *n = *v;
        n->next = NULL;
        *tail = n;
        tail = &n->next;
    }
    if (vmm_space_fork(parent->space, c->space) < 0) {
        uvm_free(c);
        return -ENOMEM;
    }
    /* The fork made every writable page copy-on-write; a shared region's
     * pages are one frame for both, written in place by either. */
    for (struct vma *v = parent->vmas; v; v = v->next) {
        if (!v->shared)
            continue;
        for (uaddr_t a = v->start; a < v->end; a += PAGE_SIZE) {
            paddr_t phys;
            uint64_t flags;
            if (vmm_translate(parent->space, a, &phys, &flags) < 0)
                continue;
            vmm_set_flags(parent->space, a, pte_flags(v->prot));
            vmm_set_flags(c->space, a, pte_flags(v->prot));
        }
    }
    *out = c;
    return 0;
}

uint64_t uvm_mapped_bytes(const struct uvm *u)
{
    uint64_t n = 0;
    for (const struct vma *v = u->vmas; v; v = v->next)
        n += v->end - v->start;
    return n;
}

uint64_t uvm_resident_pages(struct uvm *u)
{
    return vmm_user_pages(u->space);
}
