/*
 * Memory calls: brk, mmap (anonymous, and file mappings of the page
 * cache), munmap, mprotect, madvise, msync.
 *
 * A file mapping maps the page cache's own frames (file_page()), read-only
 * and copy-on-write: MAP_SHARED and MAP_PRIVATE readers see the cached
 * file, and a MAP_PRIVATE writer gets its own copy at its first write.
 * Pages are mapped at mmap time, never later: a file page faulted in
 * during a FAT32 write that holds the filesystem's lock would deadlock
 * (docs/usermode.md). A file with no page cache is read into anonymous
 * pages instead. MAP_SHARED with PROT_WRITE maps the cached frames
 * writable (file_page_writable(), uvm_map_frame_shared()): the program
 * writes the cache itself, read() sees it at once, and the cache marks
 * those pages dirty again before every sync while they stay mapped, so
 * msync, fsync, sync and the flusher write them back (docs/storage.md).
 * Such a mapping needs a file open O_RDWR (-EACCES) with a page cache
 * (-ENODEV).
 *
 * MAP_SHARED with MAP_ANONYMOUS gets zeroed frames at once, mapped shared
 * (uvm_map_frame_shared()): a fork shares them instead of copying, so
 * parent and child see each other's writes, and a shared futex there is
 * keyed by the frame (kernel/proc/futex.c). Being eager, a shared
 * anonymous mapping larger than free memory is -ENOMEM at mmap.
 *
 * Context: task.
 * See: docs/syscalls.md, kernel/mm/uvm.h
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/mman.h>

#include "arch/x86_64/paging.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "lib/portable.h"
#include "mm/pmm.h"
#include "mm/uvm.h"
#include "proc/process.h"

#define MMAP_CHUNK (64 * 1024)

static unsigned prot_bits(uint64_t prot)
{
    return (prot & PROT_READ ? UVM_PROT_READ : 0) |
           (prot & PROT_WRITE ? UVM_PROT_WRITE : 0) |
           (prot & PROT_EXEC ? UVM_PROT_EXEC : 0);
}

long sys_brk(const struct sysargs *a)
{
    return (long)uvm_brk(proc_current()->uvm, a->arg[0]);
}

/* Reads len bytes of f from off into the new mapping at addr. */
static long fill_from_file(struct uvm *u, uaddr_t addr, uint64_t len,
                           struct file *f, int64_t off)
{
    uint8_t *buf = kmalloc(MMAP_CHUNK);
    if (!buf)
        return -ENOMEM;
    long err = uvm_populate(u, addr, len);
    if (err == 0 && file_lseek(f, off, SEEK_SET) < 0)
        err = -EACCES;
    for (uint64_t done = 0; err == 0 && done < len;) {
        uint64_t want = len - done < MMAP_CHUNK ? len - done : MMAP_CHUNK;
        long n = file_read(f, buf, want);
        if (n <= 0) {
            err = n; /* 0: past the end of the file, the rest stays zero */
            break;
        }
        err = uvm_write(u, addr + done, buf, (size_t)n);
        done += (uint64_t)n;
    }
    kfree(buf);
    return err;
}

/*
 * Maps the file's cached pages from off into the new mapping at addr;
 * pages past the end of the file stay unmapped (zeros on first touch).
 */
static long map_from_cache(struct uvm *u, uaddr_t addr, uint64_t len,
                           struct file *f, int64_t off, bool shared_write)
{
    for (uint64_t done = 0; done < len; done += PAGE_SIZE) {
        uint64_t frame, index = ((uint64_t)off + done) / PAGE_SIZE;
        int err = shared_write ? file_page_writable(f, index, &frame)
                               : file_page(f, index, &frame);
        if (err == -ENXIO)
            return 0;
        if (err < 0 && shared_write)
            return err; /* a private copy would lose the writes */
        if (err < 0)
            return fill_from_file(u, addr + done, len - done, f,
                                  off + (int64_t)done);
        err = shared_write ? uvm_map_frame_shared(u, addr + done, frame)
                           : uvm_map_frame(u, addr + done, frame);
        if (err < 0) {
            pmm_free(frame);
            return err;
        }
    }
    return 0;
}

/* Backs the new shared anonymous mapping at addr with zeroed frames. */
static long map_shared_zero(struct uvm *u, uaddr_t addr, uint64_t len)
{
    for (uint64_t done = 0; done < len; done += PAGE_SIZE) {
        paddr_t frame = pmm_alloc();
        if (frame == 0)
            return -ENOMEM;
        memset(hhdm_ptr(frame), 0, PAGE_SIZE);
        int err = uvm_map_frame_shared(u, addr + done, frame);
        if (err < 0) {
            pmm_free(frame);
            return err;
        }
    }
    return 0;
}

long sys_mmap(const struct sysargs *a)
{
    uaddr_t addr = a->arg[0];
    uint64_t len = a->arg[1], prot = a->arg[2];
    uint64_t flags = a->arg[3];
    int fd = (int)a->arg[4];
    int64_t off = (int64_t)a->arg[5];
    struct process *p = proc_current();

    uint64_t type = flags & MAP_TYPE;
    if (len == 0 || (type != MAP_PRIVATE && type != MAP_SHARED &&
                     type != MAP_SHARED_VALIDATE))
        return -EINVAL;
    if (((flags & MAP_FIXED) && (addr & (PAGE_SIZE - 1))) || (off & 0xfff))
        return -EINVAL;
    if ((flags & MAP_FIXED) && addr < USER_BOTTOM)
        return -EPERM;
    struct file *f = NULL;
    if (!(flags & MAP_ANONYMOUS)) {
        if (fdtable_get(p->fds, fd, &f) < 0)
            return -EBADF;
        if (type != MAP_PRIVATE && (prot & PROT_WRITE) &&
            (f->flags & O_ACCMODE) != O_RDWR) {
            file_put(f);
            return -EACCES; /* as Linux: shared writes need O_RDWR */
        }
    }
    bool shared_write = f && type != MAP_PRIVATE && (prot & PROT_WRITE);
    int64_t r =
        uvm_mmap(p->uvm, addr, len, prot_bits(prot), (flags & MAP_FIXED) != 0);
    long err = 0;
    if (r >= 0 && f)
        err = map_from_cache(p->uvm, (uaddr_t)r, len, f, off, shared_write);
    else if (r >= 0 && type != MAP_PRIVATE)
        err = map_shared_zero(p->uvm, (uaddr_t)r, len);
    if (err < 0) {
        uvm_unmap(p->uvm, (uaddr_t)r, len);
        r = err;
    }
    if (f)
        file_put(f);
    return r;
}

long sys_munmap(const struct sysargs *a)
{
    uaddr_t addr = a->arg[0];
    uint64_t len = a->arg[1];
    if ((addr & (PAGE_SIZE - 1)) || len == 0)
        return -EINVAL;
    return uvm_unmap(proc_current()->uvm, addr, len);
}

long sys_mprotect(const struct sysargs *a)
{
    uaddr_t addr = a->arg[0];
    uint64_t len = a->arg[1], prot = a->arg[2];
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if (len == 0)
        return 0;
    if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    return uvm_protect(proc_current()->uvm, addr, len, prot_bits(prot));
}

/* mremap: -ENOMEM, which makes musl's realloc allocate and copy instead. */
long sys_mremap(const struct sysargs *a)
{
    (void)a;
    return -ENOMEM;
}

long sys_madvise(const struct sysargs *a)
{
    if (a->arg[0] & (PAGE_SIZE - 1))
        return -EINVAL;
    return 0; /* advice is welcome and ignored */
}

/*
 * msync: a writable shared mapping's pages are the page cache's own, so
 * MS_SYNC is a sync of the volume (vfs_sync(), which marks the mapped
 * pages dirty first); MS_ASYNC leaves them to the flusher, which writes
 * them within a period while they are mapped. -EINVAL for a bad address
 * or flags, -ENOMEM when the range is not all mapped, as Linux.
 */
long sys_msync(const struct sysargs *a)
{
    uaddr_t addr = a->arg[0];
    uint64_t len = a->arg[1], flags = a->arg[2];
    if ((addr & (PAGE_SIZE - 1)) ||
        (flags & ~(uint64_t)(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    if (len > USER_TOP || addr > USER_TOP - len)
        return -ENOMEM;
    struct uvm *u = proc_current()->uvm;
    for (uaddr_t at = addr; at < addr + len;) { /* region by region */
        struct vma *v = uvm_find(u, at);
        if (v == NULL)
            return -ENOMEM;
        at = v->end;
    }
    return (flags & MS_SYNC) ? vfs_sync() : 0;
}
