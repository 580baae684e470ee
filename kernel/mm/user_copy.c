/*
 * User copies: range checks in C, the copying in usercopy.S.
 *
 * Context: task.
 * See: docs/usermode.md
 */
#include "mm/user_copy.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "lib/portable.h"

long uc_copy(void *dst, const void *src, size_t n);
long uc_copy_str(char *dst, const char *src, size_t cap);
extern const char uc_begin[], uc_end[], uc_fault[];

bool user_range_ok(uaddr_t u, size_t len)
{
    return u >= USER_BOTTOM && u <= USER_TOP && len <= USER_TOP - u;
}

int user_copy_in(void *dst, uaddr_t u_src, size_t len)
{
    if (len == 0)
        return 0;
    if (!user_range_ok(u_src, len))
        return -EFAULT;
    return (int)uc_copy(dst, (const void *)(uintptr_t)u_src, len);
}

int user_copy_out(uaddr_t u_dst, const void *src, size_t len)
{
    if (len == 0)
        return 0;
    if (!user_range_ok(u_dst, len))
        return -EFAULT;
    return (int)uc_copy((void *)(uintptr_t)u_dst, src, len);
}

long user_copy_str(char *dst, uaddr_t u_src, size_t cap)
{
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
    return n;
}

uint64_t user_copy_fixup(uint64_t rip)
{
    if (rip >= (uint64_t)(uintptr_t)uc_begin &&
        rip < (uint64_t)(uintptr_t)uc_end)
        return (uint64_t)(uintptr_t)uc_fault;
    return 0;
}
