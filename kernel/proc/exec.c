/*
 * execve(): replace the calling process's program, and start init.
 *
 * The new image is built completely in a new address space before the old
 * one is touched, so every failure (no such file, not a program, no memory)
 * returns an error to a caller whose program is intact. The steps:
 *
 *   1. open the file; "#!" at its start means run its interpreter with the
 *      script's path (and one optional argument) instead, as Linux does;
 *   2. validate it as ELF64 into a load plan (kernel/proc/elf.c);
 *   3. map each PT_LOAD with its rights (never W and X), copy its file
 *      bytes in, leave the rest zero (the bss);
 *   4. build the stack: the strings, 16 random bytes, then (downwards) the
 *      auxiliary vector, envp, argv and argc, as the System V ABI lays out;
 *   5. commit: end the process's other threads (thread_kill_others()),
 *      switch to the new space, free the old one, close
 *      close-on-exec descriptors, reset the FPU and FS base, and point the
 *      trap frame at the entry point with the new stack.
 *
 * FAT32 has no execute bit: every regular file counts as executable, and a
 * file that is neither ELF nor "#!" gets -ENOEXEC.
 *
 * Context: task (the caller's execve, or the boot task for init).
 * See: docs/usermode.md
 */
#include "proc/process.h"

#include <ember/auxv.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/tty.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "lib/random.h"
#include "mm/pmm.h"
#include "mm/uvm.h"
#include "mm/vmm.h"
#include "proc/elf.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "sched/wait.h"

#define EXEC_DEPTH_MAX   4            /* nested "#!" interpreters */
#define EXEC_STACK_BYTES (128 * 1024) /* mapped at first; grows on demand */
#define EXEC_ARGV_MAX    1024
#define SHEBANG_MAX      128
#define COPY_CHUNK       (64 * 1024)
#define USER_RFLAGS      0x202 /* IF, and the always-one bit 1 */

/* ---- reading the file ---- */

static int file_source_read(const struct elf_source *src, uint64_t off,
                            void *buf, size_t len)
{
    struct file *f = src->priv;
    if (file_lseek(f, (int64_t)off, SEEK_SET) < 0)
        return -EIO;
    uint8_t *p = buf;
    while (len > 0) {
        long n = file_read(f, p, len);
        if (n < 0)
            return (int)n;
        if (n == 0)
            return -ENOEXEC; /* the file ended early */
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Maps page `a` of segment s straight from the page cache when the file
 * holds all of it at a page-aligned offset: the program shares the cached
 * frame, copy-on-write. Returns 1 if mapped, 0 if the page must be copied
 * (no page cache, or the page is partly file and partly zeros), or an
 * error.
 */
static int map_cached(struct uvm *u, struct file *f,
                      const struct elf_segment *s, uint64_t a)
{
    if ((s->offset & (PAGE_SIZE - 1)) != (s->vaddr & (PAGE_SIZE - 1)) ||
        a < s->vaddr || a + PAGE_SIZE > s->vaddr + s->filesz)
        return 0;
    uint64_t frame;
    if (file_page(f, (s->offset + (a - s->vaddr)) / PAGE_SIZE, &frame) < 0)
        return 0; /* copying gives the same bytes, or the real error */
    int err = uvm_map_frame(u, a, frame);
    if (err < 0) {
        pmm_free(frame);
        return err;
    }
    return 1;
}

/* Copies the segment's file bytes that fall in page a (maybe none). */
static int copy_page(struct uvm *u, const struct elf_source *src,
                     const struct elf_segment *s, uint64_t a, uint8_t *bounce)
{
    uint64_t from = a > s->vaddr ? a : s->vaddr;
    uint64_t to = a + PAGE_SIZE < s->vaddr + s->filesz ? a + PAGE_SIZE
                                                       : s->vaddr + s->filesz;
    int err = uvm_populate(u, a, PAGE_SIZE);
    if (err == 0 && from < to)
        err = src->read(src, s->offset + (from - s->vaddr), bounce,
                        (size_t)(to - from));
    if (err == 0 && from < to)
        err = uvm_write(u, from, bounce, (size_t)(to - from));
    return err;
}

/*
 * Loads one segment: each page the file covers whole is the page cache's
 * own frame (so a second exec of a program reads nothing from the disk
 * and copies nothing), the others are fresh frames with the file's bytes
 * copied in and zeros after them.
 */
static int load_segment(struct uvm *u, const struct elf_source *src,
                        const struct elf_segment *s, uint8_t *bounce)
{
    uint64_t lo = s->vaddr & ~(PAGE_SIZE - 1);
    uint64_t hi = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned prot = (s->rights & ELF_SEG_R ? UVM_PROT_READ : 0) |
                    (s->rights & ELF_SEG_W ? UVM_PROT_WRITE : 0) |
                    (s->rights & ELF_SEG_X ? UVM_PROT_EXEC : 0);
    int err = uvm_add(u, lo, hi - lo, prot, VMA_IMAGE);
    for (uint64_t a = lo; err == 0 && a < hi; a += PAGE_SIZE) {
        /* Each page is one hold of the volume lock at most; a kill ends
         * the load between them, the old program intact (issue #16). */
        if (wait_fatal_pending()) {
            err = -EINTR;
            break;
        }
        err = map_cached(u, src->priv, s, a);
        if (err == 0)
            err = copy_page(u, src, s, a, bounce);
        else if (err > 0)
            err = 0;
    }
    return err;
}

/* ---- the stack ---- */

struct stack_builder {
    uint8_t *buf; /* a kernel image of the stack's top */
    size_t size;  /* bytes in buf */
    size_t used;  /* filled from the top down */
    uint64_t top; /* the user address of buf's end */
};

/* Pushes n bytes; returns their user address, or 0 when out of room. */
static uint64_t push(struct stack_builder *b, const void *data, size_t n)
{
    if (n > b->size - b->used)
        return 0;
    b->used += n;
    memcpy(b->buf + b->size - b->used, data, n);
    return b->top - b->used;
}

static uint64_t push_string(struct stack_builder *b, const char *s)
{
    return push(b, s, strlen(s) + 1);
}

static int count(char *const v[])
{
    int n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* Lays out strings, auxv, envp, argv and argc; returns the initial rsp. */
static int build_stack(struct stack_builder *b, const struct elf_plan *plan,
                       const char *path, char *const argv[], char *const envp[],
                       uint64_t *rsp)
{
    int argc = count(argv), envc = count(envp);
    if (argc > EXEC_ARGV_MAX || envc > EXEC_ARGV_MAX)
        return -E2BIG;
    /* Too big for a 16 KiB kernel stack: from the heap. */
    uint64_t *uargv = kmalloc((size_t)(argc + envc + 2) * 8);
    if (!uargv)
        return -ENOMEM;
    uint64_t *uenvp = uargv + argc + 1;
    int err = 0;
    uint8_t rnd[16];
    random_fill(rnd, sizeof rnd);
    uint64_t u_execfn = push_string(b, path);
    uint64_t u_random = push(b, rnd, sizeof rnd);
    for (int i = envc - 1; i >= 0; i--)
        uenvp[i] = push_string(b, envp[i]);
    for (int i = argc - 1; i >= 0; i--)
        uargv[i] = push_string(b, argv[i]);
    uargv[argc] = uenvp[envc] = 0;

    uint64_t auxv[][2] = {
        {AT_PHDR, plan->phdr_addr},
        {AT_PHENT, plan->phent},
        {AT_PHNUM, plan->phnum},
        {AT_PAGESZ, PAGE_SIZE},
        {AT_BASE, 0},
        {AT_FLAGS, 0},
        {AT_ENTRY, plan->entry},
        {AT_UID, 0},
        {AT_EUID, 0},
        {AT_GID, 0},
        {AT_EGID, 0},
        {AT_CLKTCK, 100},
        {AT_SECURE, 0},
        {AT_RANDOM, u_random},
        {AT_EXECFN, u_execfn},
        {AT_NULL, 0},
    };
    /* What follows must leave rsp 16-byte aligned at argc. */
    size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 +
                   2 * (sizeof auxv / sizeof auxv[0]);
    b->used = (b->used + words * 8 + 15) / 16 * 16 - words * 8;
    if (!u_execfn || !u_random || b->used > b->size) {
        err = -E2BIG;
    } else {
        push(b, auxv, sizeof auxv);
        push(b, uenvp, (size_t)(envc + 1) * 8);
        push(b, uargv, (size_t)(argc + 1) * 8);
        uint64_t argc64 = (uint64_t)argc;
        *rsp = push(b, &argc64, 8);
        if (!*rsp)
            err = -E2BIG;
    }
    kfree(uargv);
    return err;
}

/* ---- the image ---- */

static int build_image(struct file *f, const char *path, char *const argv[],
                       char *const envp[], struct uvm **out_uvm,
                       struct elf_plan *plan, uint64_t *rsp)
{
    struct stat st;
    int err = file_stat(f, &st);
    if (err < 0)
        return err;
    struct elf_source src = {(uint64_t)st.st_size, path, file_source_read, f};
    err = elf_plan_load(&src, plan);
    if (err < 0)
        return err;
    struct uvm *u = uvm_new();
    uint8_t *bounce = kmalloc(COPY_CHUNK);
    if (!u || !bounce) {
        err = -ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < plan->nsegs && err == 0; i++)
        err = load_segment(u, &src, &plan->seg[i], bounce);
    u->brk_base = u->brk = plan->image_hi;
    uint64_t stack_lo = USER_TOP - EXEC_STACK_BYTES;
    if (err == 0)
        err = uvm_add(u, stack_lo, EXEC_STACK_BYTES,
                      UVM_PROT_READ | UVM_PROT_WRITE, VMA_STACK);
    if (err == 0) {
        struct stack_builder b = {bounce, COPY_CHUNK, 0, USER_TOP};
        err = build_stack(&b, plan, path, argv, envp, rsp);
        if (err == 0)
            err = uvm_populate(u, USER_TOP - b.used, b.used);
        if (err == 0)
            err = uvm_write(u, USER_TOP - b.used, b.buf + b.size - b.used,
                            b.used);
    }
out:
    kfree(bounce);
    if (err < 0 && u)
        uvm_free(u);
    if (err == 0)
        *out_uvm = u;
    return err;
}

/* ---- "#!" scripts ---- */

/*
 * If f starts with "#!", fills interp (and arg, possibly empty) from the
 * first line and returns 1; 0 if it does not; -ENOEXEC for a bad line.
 */
static int read_shebang(struct file *f, char *interp, char *arg)
{
    char line[SHEBANG_MAX + 1];
    if (file_lseek(f, 0, SEEK_SET) < 0)
        return 0;
    long n = file_read(f, line, SHEBANG_MAX);
    if (n < 2 || line[0] != '#' || line[1] != '!')
        return 0;
    line[n] = '\0';
    char *nl = strchr(line, '\n');
    if (!nl)
        return -ENOEXEC; /* longer than Ember reads */
    *nl = '\0';
    char *p = line + 2;
    while (*p == ' ' || *p == '\t')
        p++;
    char *start = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    size_t len = (size_t)(p - start);
    if (len == 0)
        return -ENOEXEC;
    memcpy(interp, start, len);
    interp[len] = '\0';
    while (*p == ' ' || *p == '\t')
        p++;
    char *end = p + strlen(p);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    memcpy(arg, p, (size_t)(end - p));
    arg[end - p] = '\0';
    return 1;
}

/* argv for the interpreter: interp [arg] path argv[1..]. */
static char **script_argv(char *interp, char *arg, const char *path,
                          char *const argv[])
{
    int n = count(argv);
    char **v = kmalloc((size_t)(n + 4) * sizeof *v);
    if (!v)
        return NULL;
    int k = 0;
    v[k++] = interp;
    if (arg[0])
        v[k++] = arg;
    v[k++] = (char *)path;
    for (int i = 1; i < n; i++)
        v[k++] = argv[i];
    v[k] = NULL;
    return v;
}

/* ---- commit ---- */

static void commit(struct process *p, struct trap_frame *f, struct uvm *u,
                   const struct elf_plan *plan, uint64_t rsp, const char *path,
                   char *const argv[])
{
    struct task *t = task_current();
    struct uvm *old = p->uvm;

    p->uvm = u;
    t->space = u->space;
    vmm_space_switch(u->space);
    if (old)
        uvm_free(old);
    if (p->fds)
        fdtable_close_on_exec(p->fds);
    signal_exec_reset(p);
    proc_set_cmdline(p, path, argv);
    fpu_init_area(t->fpu);
    fpu_restore(t->fpu);
    t->fs_base = 0;
    wrmsr(MSR_FS_BASE, 0);
    memset(f, 0, sizeof *f);
    f->rip = plan->entry;
    f->rsp = rsp;
    f->cs = GDT_USER_CODE | GDT_RPL_USER;
    f->ss = GDT_USER_DATA | GDT_RPL_USER;
    f->rflags = USER_RFLAGS;
}

static long execve_depth(struct trap_frame *f, const char *path,
                         char *const argv[], char *const envp[], int depth)
{
    struct process *p = proc_current();
    struct file *file;
    int err = vfs_open(p->cwd, path, O_RDONLY, &file);
    if (err < 0)
        return err;
    struct stat st;
    err = file_stat(file, &st);
    if (err == 0 && (st.st_mode & S_IFMT) == S_IFDIR)
        err = -EACCES;
    char interp[SHEBANG_MAX + 1], arg[SHEBANG_MAX + 1];
    int script = err == 0 ? read_shebang(file, interp, arg) : 0;
    if (err == 0 && script < 0)
        err = script;
    if (err == 0 && script == 1) {
        file_put(file);
        if (depth >= EXEC_DEPTH_MAX)
            return -ELOOP;
        char **v = script_argv(interp, arg, path, argv);
        if (!v)
            return -ENOMEM;
        long r = execve_depth(f, interp, v, envp, depth + 1);
        kfree(v);
        return r;
    }
    struct uvm *u = NULL;
    struct elf_plan plan;
    uint64_t rsp = 0;
    if (err == 0)
        err = build_image(file, path, argv, envp, &u, &plan, &rsp);
    /* For /proc/self/exe: the path the walk reached, links followed. */
    struct vfs_node *exe = err == 0 ? vfs_node_new(file->path) : NULL;
    file_put(file);
    if (err < 0)
        return err;
    /* The point of no return: other threads go before the old image. */
    if (!thread_kill_others()) {
        vfs_node_put(exe);
        uvm_free(u);
        thread_die(); /* another thread is ending the process */
    }
    commit(p, f, u, &plan, rsp, path, argv);
    thread_exec_done();
    proc_lock(); /* procfs reads another process's exe under it */
    struct vfs_node *old = p->exe;
    p->exe = exe;
    proc_unlock();
    vfs_node_put(old);
    return 0;
}

long proc_execve(struct trap_frame *f, const char *path, char *const argv[],
                 char *const envp[])
{
    return execve_depth(f, path, argv, envp, 0);
}

/* ---- init ---- */

struct init_start {
    const char *path;
    char *const *argv;
    long result; /* set by the init task */
    bool done;
    struct wait_queue waiter;
};

static char *const init_envp[] = {"PATH=/bin:/usr/bin", "HOME=/", "TERM=vt100",
                                  NULL};

/* Descriptors 0, 1 and 2 of init: the console. */
static int open_console(struct process *p)
{
    for (int fd = 0; fd < 3; fd++) {
        struct file *f;
        int err = vfs_open(NULL, "/dev/console", O_RDWR, &f);
        if (err < 0)
            return err;
        err = fdtable_install(p->fds, f, fd, false);
        if (err < 0) {
            file_put(f);
            return err;
        }
    }
    return 0;
}

static int init_entry(void *arg)
{
    struct init_start *s = arg;
    struct process *p = proc_current();
    struct trap_frame *f = syscall_user_frame(task_current()->stack_top);
    long err = open_console(p);
    if (err == 0)
        err = proc_execve(f, s->path, s->argv, init_envp);
    s->result = err;
    s->done = true;
    wq_wake_all(&s->waiter);
    if (err < 0)
        proc_exit((int)(127 << 8));
    syscall_enter_user(f);
}

int proc_spawn_init(const char *path, char *const argv[])
{
    struct process *p = kmalloc(sizeof *p);
    struct init_start s = {path, argv, 0, false, WAIT_QUEUE_INIT};
    if (!p)
        return -ENOMEM;
    memset(p, 0, sizeof *p);
    p->umask = 022;
    p->start_ticks = sched_ticks();
    p->fds = fdtable_new();
    struct task *t = p->fds ? task_alloc("init", init_entry, &s, true) : NULL;
    if (!t) {
        if (p->fds)
            fdtable_free(p->fds);
        kfree(p);
        return -ENOMEM;
    }
    proc_lock();
    proc_link(p);
    p->pgid = p->sid = p->pid;
    thread_attach(&p->first, p, t, p->pid);
    proc_unlock();
    tty_set_foreground(p->pgid); /* init's group has the keyboard */
    uint64_t flags = irq_save();
    sched_add(t);
    irq_restore(flags);
    WAIT_EVENT(&s.waiter, s.done);
    if (s.result < 0)
        klog(LOG_ERR, "init: cannot run %s (error %ld)", path, s.result);
    return (int)s.result;
}
