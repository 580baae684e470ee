/*
 * User copies: range checks in C, the copying in usercopy.S.
 *
 * A copy works on the user space loaded now (uvm_current()), the one the
 * CPU will walk, so it needs to know nothing of tasks or processes. The
 * lock rule below asks the scheduler through a hook it registers at boot.
 *
 * Context: task.
 * See: docs/usermode.md
 */
#include "mm/user_copy.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/portable.h"
#include "mm/uvm.h"

long uc_copy(void *dst, const void *src, size_t n);
long uc_copy_str(char *dst, const char *src, size_t cap);
extern const char uc_begin[], uc_end[], uc_fault[];

bool user_range_ok(uaddr_t u, size_t len)
{
    return u >= USER_BOTTOM && u <= USER_TOP && len <= USER_TOP - u;
}

/*
 * A page the program mapped with no rights (PROT_NONE) may still be
 * present, because it was touched before mprotect(), and ring 0 can read a
 * present page whether or not it has the user bit (kernel/mm/uvm.c maps
 * such pages without it). So a copy out of user memory first asks the
 * regions: a range that meets a region with no rights is -EFAULT, as the
 * program's own read would be. Writes need no such check: those pages are
 * read-only, so the write faults and uvm_fault() refuses it. Addresses in
 * no region are left to the fault path (stack growth, or -EFAULT).
 */
static bool meets_no_rights(uaddr_t u, size_t len)
{
    struct uvm *uvm = uvm_current();
    if (!uvm)
        return false;
    for (struct vma *v = uvm->vmas; v && v->start < u + len; v = v->next) {
        if (v->end > u && v->prot == 0)
            return true;
    }
    return false;
}

/*
 * The rule of docs/usermode.md: no lock is held across a user copy. A copy
 * may fault and sleep (the page-fault path), and a sleeping mutex or
 * spinlock held across it would stall everyone else who needs it. Mutexes
 * are the scheduler's, a floor up: it registers the count at boot
 * (sched_init()). Written once at boot.
 */
static unsigned (*mutexes_held)(void);

void user_copy_set_mutex_count(unsigned (*held)(void))
{
    mutexes_held = held;
}

static void assert_no_locks(void)
{
    KASSERT(read_rflags() & RFLAGS_IF); /* no spinlock: interrupts are on */
    KASSERT(!mutexes_held || mutexes_held() == 0);
}

int user_copy_in(void *dst, uaddr_t u_src, size_t len)
{
    assert_no_locks();
    if (len == 0)
        return 0;
    if (!user_range_ok(u_src, len) || meets_no_rights(u_src, len))
        return -EFAULT;
    return (int)uc_copy(dst, (const void *)(uintptr_t)u_src, len);
}

int user_copy_out(uaddr_t u_dst, const void *src, size_t len)
{
    assert_no_locks();
    if (len == 0)
        return 0;
    if (!user_range_ok(u_dst, len))
        return -EFAULT;
    return (int)uc_copy((void *)(uintptr_t)u_dst, src, len);
}

long user_copy_str(char *dst, uaddr_t u_src, size_t cap)
{
    assert_no_locks();
    if (cap == 0)
        return -ENAMETOOLONG;
    if (u_src < USER_BOTTOM || u_src >= USER_TOP)
        return -EFAULT;
    /* Never read past USER_TOP: shorten cap at the boundary. */
    size_t room = (size_t)(USER_TOP - u_src);
    long n = uc_copy_str(dst, (const char *)(uintptr_t)u_src,
                         cap < room ? cap : room);
    if (n == -ENAMETOOLONG && room < cap)
        return -EFAULT; /* ran into the end of the user half */
    /* Checked after the copy, when the string's extent is known. */
    size_t read = n >= 0 ? (size_t)n + 1 : cap < room ? cap : room;
    if (n != -EFAULT && meets_no_rights(u_src, read))
        return -EFAULT;
    return n;
}

int user_probe_writable(uaddr_t u, size_t len)
{
    if (len == 0)
        return 0;
    if (!user_range_ok(u, len))
        return -EFAULT;
    /* One byte of each page, read and written back unchanged. */
    for (uaddr_t page = u & ~(uaddr_t)(PAGE_SIZE - 1); page < u + len;
         page += PAGE_SIZE) {
        uaddr_t at = page < u ? u : page;
        uint8_t b;
        if (user_copy_in(&b, at, 1) < 0 || user_copy_out(at, &b, 1) < 0)
            return -EFAULT;
    }
    return 0;
}

uint64_t user_copy_fixup(uint64_t rip)
{
    if (rip >= (uint64_t)(uintptr_t)uc_begin &&
        rip < (uint64_t)(uintptr_t)uc_end)
        return (uint64_t)(uintptr_t)uc_fault;
    return 0;
}
