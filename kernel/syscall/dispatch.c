/*
 * The two system call tables.
 *
 * Numbers come from <ember/syscall_linux.h> and <ember/syscall_seed.h>;
 * each table is built from designated initialisers, so a number is written
 * once, beside its handler. A number with no handler gets -ENOSYS and one
 * log line per number (so a missing call is easy to spot, and a fuzzer
 * cannot flood the log).
 *
 * Context: task, interrupts on.
 * See: docs/syscalls.md
 */
#include "syscall/dispatch.h"

#include <ember/errno.h>
#include <ember/syscall_linux.h>
#include <ember/syscall_seed.h>

#include "lib/log.h"
#include "proc/process.h"
#include "syscall/handlers.h"
#include "syscall/names.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const syscall_fn linux_calls[] = {
    [SYS_read] = sys_read,
    [SYS_write] = sys_write,
    [SYS_open] = sys_open,
    [SYS_close] = sys_close,
    [SYS_stat] = sys_stat,
    [SYS_fstat] = sys_fstat,
    [SYS_lstat] = sys_lstat,
    [SYS_lseek] = sys_lseek,
    [SYS_mmap] = sys_mmap,
    [SYS_mprotect] = sys_mprotect,
    [SYS_munmap] = sys_munmap,
    [SYS_brk] = sys_brk,
    [SYS_poll] = sys_poll,
    [SYS_select] = sys_select,
    [SYS_pselect6] = sys_pselect6,
    [SYS_ppoll] = sys_ppoll,
    [SYS_rt_sigaction] = sys_rt_sigaction,
    [SYS_rt_sigprocmask] = sys_rt_sigprocmask,
    [SYS_rt_sigreturn] = sys_rt_sigreturn,
    [SYS_rt_sigsuspend] = sys_rt_sigsuspend,
    [SYS_rt_sigtimedwait] = sys_rt_sigtimedwait,
    [SYS_sigaltstack] = sys_sigaltstack,
    [SYS_pause] = sys_pause,
    [SYS_alarm] = sys_alarm,
    [SYS_setitimer] = sys_setitimer,
    [SYS_getitimer] = sys_getitimer,
    [SYS_ioctl] = sys_ioctl,
    [SYS_pread64] = sys_pread64,
    [SYS_pwrite64] = sys_pwrite64,
    [SYS_readv] = sys_readv,
    [SYS_writev] = sys_writev,
    [SYS_access] = sys_access,
    [SYS_pipe] = sys_pipe,
    [SYS_sched_yield] = sys_sched_yield,
    [SYS_sched_getaffinity] = sys_sched_getaffinity,
    [SYS_sched_setaffinity] = sys_sched_setaffinity,
    [SYS_madvise] = sys_madvise,
    [SYS_mremap] = sys_mremap,
    [SYS_msync] = sys_msync,
    [SYS_statfs] = sys_statfs,
    [SYS_fstatfs] = sys_fstatfs,
    [SYS_utimensat] = sys_utimensat,
    [SYS_dup] = sys_dup,
    [SYS_dup2] = sys_dup2,
    [SYS_nanosleep] = sys_nanosleep,
    [SYS_getpid] = sys_getpid,
    [SYS_clone] = sys_clone,
    [SYS_fork] = sys_fork,
    [SYS_vfork] = sys_fork, /* a copy-on-write fork serves vfork too */
    [SYS_execve] = sys_execve,
    [SYS_exit] = sys_exit,
    [SYS_wait4] = sys_wait4,
    [SYS_waitid] = sys_waitid,
    [SYS_kill] = sys_kill,
    [SYS_uname] = sys_uname,
    [SYS_fcntl] = sys_fcntl,
    [SYS_fsync] = sys_fsync,
    [SYS_fdatasync] = sys_fsync,
    [SYS_truncate] = sys_truncate,
    [SYS_ftruncate] = sys_ftruncate,
    [SYS_getcwd] = sys_getcwd,
    [SYS_chdir] = sys_chdir,
    [SYS_fchdir] = sys_fchdir,
    [SYS_rename] = sys_rename,
    [SYS_mkdir] = sys_mkdir,
    [SYS_rmdir] = sys_rmdir,
    [SYS_unlink] = sys_unlink,
    [SYS_readlink] = sys_readlink,
    [SYS_readlinkat] = sys_readlinkat,
    [SYS_umask] = sys_umask,
    [SYS_getgroups] = sys_getgroups,
    [SYS_getrusage] = sys_getrusage,
    [SYS_prctl] = sys_prctl,
    [SYS_gettimeofday] = sys_gettimeofday,
    [SYS_getrlimit] = sys_getrlimit,
    [SYS_sysinfo] = sys_sysinfo,
    [SYS_times] = sys_times,
    [SYS_time] = sys_time,
    [SYS_getuid] = sys_getuid,
    [SYS_getgid] = sys_getuid,
    [SYS_geteuid] = sys_getuid,
    [SYS_getegid] = sys_getuid,
    [SYS_setpgid] = sys_setpgid,
    [SYS_getppid] = sys_getppid,
    [SYS_getpgrp] = sys_getpgrp,
    [SYS_setsid] = sys_setsid,
    [SYS_getpriority] = sys_getpriority,
    [SYS_setpriority] = sys_setpriority,
    [SYS_getpgid] = sys_getpgid,
    [SYS_getsid] = sys_getsid,
    [SYS_rt_sigpending] = sys_rt_sigpending,
    [SYS_arch_prctl] = sys_arch_prctl,
    [SYS_sync] = sys_sync,
    [SYS_sendfile] = sys_sendfile,
    [SYS_reboot] = sys_reboot,
    [SYS_gettid] = sys_gettid,
    [SYS_tkill] = sys_tkill,
    [SYS_futex] = sys_futex,
    [SYS_getdents64] = sys_getdents64,
    [SYS_set_tid_address] = sys_set_tid_address,
    [SYS_clock_gettime] = sys_clock_gettime,
    [SYS_clock_getres] = sys_clock_getres,
    [SYS_clock_nanosleep] = sys_clock_nanosleep,
    [SYS_exit_group] = sys_exit_group,
    [SYS_tgkill] = sys_tgkill,
    [SYS_openat] = sys_openat,
    [SYS_mkdirat] = sys_mkdirat,
    [SYS_mknod] = sys_mknod,
    [SYS_mknodat] = sys_mknodat,
    [SYS_newfstatat] = sys_newfstatat,
    [SYS_unlinkat] = sys_unlinkat,
    [SYS_renameat] = sys_renameat,
    [SYS_faccessat] = sys_faccessat,
    [SYS_set_robust_list] = sys_zero,
    [SYS_dup3] = sys_dup3,
    [SYS_pipe2] = sys_pipe2,
    [SYS_prlimit64] = sys_prlimit64,
    [SYS_getrandom] = sys_getrandom,
    [SYS_symlink] = sys_symlink,
    [SYS_symlinkat] = sys_symlinkat,
    [SYS_link] = sys_link,
    [SYS_linkat] = sys_linkat,
    [SYS_chmod] = sys_chmod,
    [SYS_fchmod] = sys_fchmod,
    [SYS_fchmodat] = sys_fchmodat,
    [SYS_chown] = sys_chown,
    [SYS_fchown] = sys_fchown,
    [SYS_lchown] = sys_lchown,
    [SYS_fchownat] = sys_fchownat,
    [SYS_mount] = sys_mount,
    [SYS_umount2] = sys_umount2,
};

static const syscall_fn seed_calls[] = {
    [SEED_SYS_PUTC] = sys_seed_putc,
    [SEED_SYS_EXIT] = sys_seed_exit,
    [SEED_SYS_CLEAR] = sys_seed_clear,
    [SEED_SYS_CURSOR] = sys_seed_cursor,
    [SEED_SYS_READ_FILE] = sys_seed_read_file,
    [SEED_SYS_WRITE_FILE] = sys_seed_write_file,
    [SEED_SYS_SCANCODE] = sys_seed_scancode,
    [SEED_SYS_YIELD] = sys_seed_yield,
    [SEED_SYS_KEY] = sys_seed_key,
    [SEED_SYS_BLIT] = sys_seed_blit,
    [SEED_SYS_UPTIME] = sys_seed_uptime,
    [SEED_SYS_OPEN] = sys_seed_open,
    [SEED_SYS_READ] = sys_seed_read,
    [SEED_SYS_SEEK] = sys_seed_seek,
    [SEED_SYS_CLOSE] = sys_seed_close,
    [SEED_SYS_SCREEN_ENTER] = sys_seed_screen_enter,
    [SEED_SYS_SCREEN_LEAVE] = sys_seed_screen_leave,
    [SEED_SYS_MKDIR] = sys_seed_mkdir,
    [SEED_SYS_REMOVE] = sys_seed_remove,
    [SEED_SYS_RENAME] = sys_seed_rename,
    [SEED_SYS_MOUSE_DELTA] = sys_seed_mouse_delta,
    [SEED_SYS_MOUSE_BUTTONS] = sys_seed_mouse_buttons,
};

/*
 * Logs an unknown number once, by name when Linux's header names it (a
 * bitmap of the first 512 numbers per door).
 */
static long unknown(int door, uint64_t nr)
{
    static uint64_t seen[2][SYSCALL_NAMES_MAX / 64];
    if (nr < SYSCALL_NAMES_MAX &&
        !(seen[door][nr / 64] & (1ull << (nr % 64)))) {
        seen[door][nr / 64] |= 1ull << (nr % 64);
        const char *name = door ? NULL : syscall_linux_names[nr];
        klog(LOG_WARN, "syscall: %s call %lu (%s) is not implemented (pid %d)",
             door ? "seed" : "linux", (unsigned long)nr,
             name ? name : "unnamed", proc_current_pid());
    }
    return -ENOSYS;
}

static struct sysargs unpack(struct trap_frame *f)
{
    return (struct sysargs){
        .nr = f->rax,
        .arg = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9},
        .frame = f,
    };
}

long syscall_linux(struct trap_frame *f)
{
    struct sysargs a = unpack(f);
    if (a.nr >= ARRAY_LEN(linux_calls) || !linux_calls[a.nr])
        return unknown(0, a.nr);
    return linux_calls[a.nr](&a);
}

long syscall_seed(struct trap_frame *f)
{
    struct sysargs a = unpack(f);
    if (a.nr >= ARRAY_LEN(seed_calls) || !seed_calls[a.nr])
        return unknown(1, a.nr);
    return seed_calls[a.nr](&a);
}
