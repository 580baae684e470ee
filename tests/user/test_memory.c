/*
 * Differential test: brk, mmap, munmap, mprotect, MAP_FIXED, malloc, and
 * writable MAP_SHARED file maps with msync.
 *
 * Addresses differ between kernels (Linux randomises them, Ember places
 * them its own way), so only differences between addresses, contents and
 * results are compared. Accesses that must fault run in a child, whose
 * death by SIGSEGV is the result. brk is called raw (syscall), because
 * musl's sbrk accepts only 0 and its malloc never uses brk for the heap.
 * madvise's result is compared but not its effect on the contents, which
 * Linux and Ember are free to differ on. Also linked as static-PIE.
 *
 * Portable: user program (musl-gcc -static and static-PIE).
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ucheck.h"

#define PAGE       4096ul
#define MAP_LEN    (1ul << 20)
#define BRK_GROW   (10 * PAGE)
#define DEEP_BYTES (1ul << 20) /* stack used by the recursion test */

static volatile void *fault_at;

static void touch_read(void)
{
    (void)*(volatile char *)fault_at;
}

static void touch_write(void)
{
    *(volatile char *)fault_at = 1;
}

static void run_heap_code(void)
{
    unsigned char *code = malloc(16);
    code[0] = 0xc3; /* ret: would return at once if the heap ran */
    ((void (*)(void))(uintptr_t)code)();
    _exit(0);
}

static void run_stack_code(void)
{
    unsigned char code[16] = {0xc3};
    ((void (*)(void))(uintptr_t)code)();
    _exit(0);
}

static long brk_raw(uintptr_t addr)
{
    return syscall(SYS_brk, addr);
}

static void brk_cases(void)
{
    uintptr_t start = (uintptr_t)brk_raw(0);
    uc_val("brk query nonzero", "%d", start != 0);
    uintptr_t grown = (uintptr_t)brk_raw(start + BRK_GROW);
    uc_val("brk grows by", "%lu", (unsigned long)(grown - start));
    memset((void *)start, 0x5a, BRK_GROW);
    uc_val("brk memory usable", "%lx", uc_sum((void *)start, BRK_GROW));
    uintptr_t shrunk = (uintptr_t)brk_raw(start + PAGE);
    uc_val("brk shrinks to", "%lu", (unsigned long)(shrunk - start));
    uintptr_t bad = (uintptr_t)brk_raw(start - (1ul << 30));
    uc_val("brk below start refused", "%d", bad == shrunk);
    uintptr_t huge = (uintptr_t)brk_raw(start + (1ul << 46));
    uc_val("brk absurd refused", "%d", huge == shrunk);
    brk_raw(start);
}

static void mmap_cases(void)
{
    unsigned char *m = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uc_ret("mmap anon 1 MiB", m == MAP_FAILED ? -1 : 0);
    size_t zeros = 0;
    for (size_t i = 0; i < MAP_LEN; i++)
        zeros += m[i] == 0;
    uc_val("anon pages are zero", "%zu", zeros);
    for (size_t i = 0; i < MAP_LEN; i++)
        m[i] = (unsigned char)(i * 13);
    uc_val("anon pattern", "%lx", uc_sum(m, MAP_LEN));
    uc_val("page aligned", "%lu", (unsigned long)((uintptr_t)m % PAGE));

    /* MAP_FIXED over the middle replaces those pages with zeros. */
    unsigned char *f = mmap(m + 4 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    uc_val("MAP_FIXED at the address asked", "%d", f == m + 4 * PAGE);
    uc_val("MAP_FIXED pages zeroed", "%d %d %d", f[0], f[2 * PAGE - 1],
           m[4 * PAGE - 1] == (unsigned char)((4 * PAGE - 1) * 13));

    uc_ret("mprotect read-only", mprotect(m, PAGE, PROT_READ));
    fault_at = m;
    uc_child("write to read-only page", touch_write);
    uc_child("read of read-only page", touch_read);
    uc_ret("mprotect none", mprotect(m + PAGE, PAGE, PROT_NONE));
    fault_at = m + PAGE;
    uc_child("read of PROT_NONE page", touch_read);
    uc_ret("mprotect back", mprotect(m, 2 * PAGE, PROT_READ | PROT_WRITE));
    m[PAGE] = 1;
    uc_val("writable again", "%d", m[PAGE]);
    /* Raw: musl's mprotect rounds the address down itself. */
    uc_ret("mprotect unaligned", syscall(SYS_mprotect, m + 1, PAGE, PROT_READ));

    uc_ret("munmap middle", munmap(m + 8 * PAGE, PAGE));
    fault_at = m + 8 * PAGE;
    uc_child("read of unmapped page", touch_read);
    uc_val("neighbour survives", "%d",
           m[9 * PAGE] == (unsigned char)(9 * PAGE * 13));
    uc_ret("munmap unaligned", munmap(m + 1, PAGE));
    uc_ret("munmap zero length", munmap(m, 0));
    uc_ret("munmap rest", munmap(m, MAP_LEN));
    uc_ret("munmap again", munmap(m, MAP_LEN));
    fault_at = m;
    uc_child("read after munmap", touch_read);
    fault_at = NULL;
    uc_child("null read", touch_read);

    uc_ret("mmap zero length",
           mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
                   MAP_FAILED
               ? -1
               : 0);
    uc_ret("mmap no type",
           mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1
                                                                           : 0);
    uc_ret("mmap bad fd",
           mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED ? -1
                                                                         : 0);
    uc_ret("mmap MAP_FIXED unaligned",
           mmap((void *)0x10000001, PAGE, PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED
               ? -1
               : 0);
    void *k = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uc_ret("madvise DONTNEED", madvise(k, PAGE, MADV_DONTNEED));
    munmap(k, PAGE);
}

/* Read-only file maps, private and shared (as musl's localtime uses). */
static void file_maps(void)
{
    int fd = open("mapped.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    const char text[] = "file contents for mmap\n";
    write(fd, text, sizeof text - 1);
    char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    uc_ret("mmap file private", p == MAP_FAILED ? -1 : 0);
    uc_val("private map contents", "%.22s", p);
    uc_val("tail of page zero", "%d", p[PAGE - 1]);
    munmap(p, PAGE);
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    uc_ret("mmap file shared read-only", p == MAP_FAILED ? -1 : 0);
    uc_val("shared map contents", "%.4s", p);
    fault_at = p;
    uc_child("write to read-only file map", touch_write);
    munmap(p, PAGE);
    uc_ret("mmap unaligned offset",
           mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED ? -1
                                                                           : 0);
    close(fd);
}

/*
 * Writable shared file maps: writes through the map are the file's (read()
 * sees them at once, a forked child's writes too), bytes past the end of
 * the file in its last page are not (the size stays), msync checks its
 * arguments. Leaves shared.bin behind: tests/system/test_pcache.py checks
 * it on the disk with mtools after a kill. SHARED_LEN and the pattern are
 * written there too.
 */
#define SHARED_LEN (3 * PAGE + 100)
#define SHARED_MAP (4 * PAGE)

static unsigned char *shared_map;

static void child_writes_shared(void)
{
    memcpy(shared_map + 5000, "child", 5);
}

static void shared_writable_maps(void)
{
    static unsigned char buf[SHARED_MAP];
    int fd = open("shared.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (size_t i = 0; i < SHARED_LEN; i++)
        buf[i] = (unsigned char)('a' + i % 26);
    uc_ret("write shared.bin", write(fd, buf, SHARED_LEN));
    int ro = open("shared.bin", O_RDONLY);
    uc_ret("mmap shared writable of O_RDONLY",
           mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) ==
                   MAP_FAILED
               ? -1
               : 0);
    close(ro);
    unsigned char *m =
        mmap(NULL, SHARED_MAP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uc_ret("mmap shared writable", m == MAP_FAILED ? -1 : 0);
    if (m == MAP_FAILED)
        return;
    shared_map = m;
    uc_val("map sees the file", "%lu", uc_sum(m, SHARED_LEN));
    uc_val("map past the end is zero", "%lu", uc_sum(m + SHARED_LEN, 100));
    for (size_t i = 0; i < SHARED_LEN; i += 3)
        m[i] = (unsigned char)(i * 7 % 251);
    memcpy(m + SHARED_LEN, "not the file's", 14);
    memset(buf, 0, sizeof buf);
    uc_ret("pread after map writes", pread(fd, buf, SHARED_MAP, 0));
    uc_val("read sees the map writes", "%d", memcmp(buf, m, SHARED_LEN) == 0);
    uc_ret("write through the fd", pwrite(fd, "fd!", 3, 8000));
    uc_val("map sees the fd write", "%.3s", (char *)m + 8000);
    uc_child("child writes the shared map", child_writes_shared);
    uc_ret("pread the child's write", pread(fd, buf, 5, 5000));
    uc_val("parent reads the child's write", "%.5s", (char *)buf);
    uc_val("parent's map sees it", "%.5s", (char *)m + 5000);
    uc_ret("msync MS_SYNC", msync(m, SHARED_MAP, MS_SYNC));
    uc_ret("msync MS_ASYNC", msync(m, PAGE, MS_ASYNC));
    uc_ret("msync both flags", msync(m, PAGE, MS_SYNC | MS_ASYNC));
    uc_ret("msync unaligned", msync(m + 1, PAGE, MS_SYNC));
    uc_ret("msync bad flag", msync(m, PAGE, 0x100));
    uc_ret("munmap shared writable", munmap(m, SHARED_MAP));
    uc_ret("msync unmapped", msync(m, PAGE, MS_SYNC));
    struct stat st;
    fstat(fd, &st);
    uc_val("size unchanged by the map", "%lld", (long long)st.st_size);
    uc_ret("pread after munmap", pread(fd, buf, SHARED_MAP, 0));
    uc_val("file after munmap", "%lu", uc_sum(buf, SHARED_LEN));
    close(fd);
}

static int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (depth == 0)
        return frame[0];
    return recurse(depth - 1) + frame[0] - (char)depth;
}

static void heap_and_stack(void)
{
    char *big = malloc(10ul << 20);
    uc_ret("malloc 10 MiB", big ? 0 : -1);
    memset(big, 7, 10ul << 20);
    uc_val("big block usable", "%d", big[(10ul << 20) - 1]);
    free(big);

    unsigned long sum = 0;
    char *blocks[1000];
    for (int i = 0; i < 1000; i++) {
        blocks[i] = malloc((size_t)(i % 97) + 1);
        memset(blocks[i], i, (size_t)(i % 97) + 1);
    }
    for (int i = 0; i < 1000; i++) {
        sum += (unsigned char)blocks[i][i % 97];
        free(blocks[i]);
    }
    uc_val("1000 small blocks", "%lu", sum);

    char *r = malloc(100);
    strcpy(r, "keep me");
    r = realloc(r, 1 << 20);
    uc_val("realloc keeps contents", "%s", r);
    r = realloc(r, 50);
    uc_val("realloc shrink keeps", "%s", r);
    free(r);

    uc_val("1 MiB of stack", "%d", recurse(DEEP_BYTES / 1024 - 64));
    uc_child("execute heap", run_heap_code);
    uc_child("execute stack", run_stack_code);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    brk_cases();
    mmap_cases();
    file_maps();
    shared_writable_maps();
    heap_and_stack();
    return uc_close();
}
