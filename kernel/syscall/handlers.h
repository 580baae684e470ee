/*
 * Every system call handler, for the two tables in dispatch.c.
 *
 * Each takes the unpacked arguments (struct sysargs) and returns a count,
 * 0 or a negative errno. Grouped by the file that implements them.
 *
 * Context: task, interrupts on; may sleep.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/layout.h"
#include "syscall/dispatch.h"

/* sys_poll.c */
long sys_poll(const struct sysargs *a);
long sys_ppoll(const struct sysargs *a);
long sys_select(const struct sysargs *a);
long sys_pselect6(const struct sysargs *a);

/* sys_proc.c */
long sys_getpid(const struct sysargs *a);
long sys_getppid(const struct sysargs *a);
long sys_fork(const struct sysargs *a);
long sys_clone(const struct sysargs *a);
long sys_execve(const struct sysargs *a);
long sys_wait4(const struct sysargs *a);
long sys_waitid(const struct sysargs *a);
long sys_setpgid(const struct sysargs *a);
long sys_getpgid(const struct sysargs *a);
long sys_getpgrp(const struct sysargs *a);
long sys_setsid(const struct sysargs *a);
long sys_getpriority(const struct sysargs *a);
long sys_setpriority(const struct sysargs *a);
long sys_getsid(const struct sysargs *a);
long sys_arch_prctl(const struct sysargs *a);
long sys_sched_yield(const struct sysargs *a);
long sys_mknod(const struct sysargs *a);
long sys_mknodat(const struct sysargs *a);
long sys_sched_getaffinity(const struct sysargs *a);
long sys_sched_setaffinity(const struct sysargs *a);
long sys_uname(const struct sysargs *a);
long sys_getuid(const struct sysargs *a);
long sys_zero(const struct sysargs *a);
long sys_sysinfo(const struct sysargs *a);
long sys_prlimit64(const struct sysargs *a);
long sys_getrlimit(const struct sysargs *a);
long sys_umask(const struct sysargs *a);
long sys_getgroups(const struct sysargs *a);
long sys_getrusage(const struct sysargs *a);
long sys_prctl(const struct sysargs *a);
long sys_reboot(const struct sysargs *a);

/* sys_thread.c */
long sys_gettid(const struct sysargs *a);
long sys_set_tid_address(const struct sysargs *a);
long sys_futex(const struct sysargs *a);
long sys_exit(const struct sysargs *a);
long sys_exit_group(const struct sysargs *a);

/* sys_signal.c */
long sys_kill(const struct sysargs *a);
long sys_tkill(const struct sysargs *a);
long sys_tgkill(const struct sysargs *a);
long sys_rt_sigaction(const struct sysargs *a);
long sys_rt_sigprocmask(const struct sysargs *a);
long sys_rt_sigpending(const struct sysargs *a);
long sys_rt_sigreturn(const struct sysargs *a);
long sys_rt_sigsuspend(const struct sysargs *a);
long sys_pause(const struct sysargs *a);
long sys_rt_sigtimedwait(const struct sysargs *a);
long sys_sigaltstack(const struct sysargs *a);
long sys_setitimer(const struct sysargs *a);
long sys_getitimer(const struct sysargs *a);
long sys_alarm(const struct sysargs *a);

/* sys_mem.c */
long sys_brk(const struct sysargs *a);
long sys_mmap(const struct sysargs *a);
long sys_munmap(const struct sysargs *a);
long sys_mprotect(const struct sysargs *a);
long sys_madvise(const struct sysargs *a);
long sys_mremap(const struct sysargs *a);
long sys_msync(const struct sysargs *a);

/* sys_time.c */
long sys_clock_gettime(const struct sysargs *a);
long sys_clock_getres(const struct sysargs *a);
long sys_gettimeofday(const struct sysargs *a);
long sys_nanosleep(const struct sysargs *a);
long sys_clock_nanosleep(const struct sysargs *a);
long sys_times(const struct sysargs *a);
long sys_time(const struct sysargs *a);
long sys_getrandom(const struct sysargs *a);

/*
 * sys_file.c's services, which both doors call with plain arguments (the
 * seed's whole-file calls are an open, a transfer and a close): the
 * Linux handlers unpack their registers into these, the seed's handlers
 * into the same, and neither builds the other's argument block.
 */
long sysfile_open(uaddr_t u_path, int flags); /* fd, -errno */
long sysfile_transfer(int fd, uaddr_t u_buf, size_t len, bool write);
long sysfile_seek(int fd, int64_t off, int whence); /* new offset, -errno */
long sysfile_close(int fd);                         /* 0, -EBADF */
long syspath_mkdir(uaddr_t u_path);                 /* 0, -errno */
long syspath_rename(uaddr_t u_from, uaddr_t u_to);  /* 0, -errno */

struct vfs_node;
/*
 * sys_path.c's helpers for every call that takes a path. syspath_copy()
 * copies a path argument to a new kmalloc'd buffer of VFS_PATH_MAX bytes
 * (kfree it): 0, -ENOENT (empty), -ENAMETOOLONG, -EFAULT, -ENOMEM.
 * syspath_base() gives the node a path starts from, a reference to put
 * with vfs_node_put(): the working directory for AT_FDCWD or an absolute
 * path, else the directory dirfd names. 0, -EBADF, -ENOTDIR, -ENOMEM.
 */
long syspath_copy(uaddr_t u_path, char **out);
long syspath_base(int dirfd, const char *path, struct vfs_node **out);

/* A path and the node it starts from, copied in and to be let go. */
struct syspath_arg {
    char *path;
    struct vfs_node *at;
};

/* Both of the above at once: 0 or -errno (nothing to let go then). */
long syspath_take(int dirfd, uaddr_t u_path, struct syspath_arg *a);
/* Lets go of what syspath_take() took; returns result. */
long syspath_done(struct syspath_arg *a, long result);

/* sys_link.c */
long sys_symlink(const struct sysargs *a);
long sys_symlinkat(const struct sysargs *a);
long sys_link(const struct sysargs *a);
long sys_linkat(const struct sysargs *a);
long sys_chmod(const struct sysargs *a);
long sys_fchmod(const struct sysargs *a);
long sys_fchmodat(const struct sysargs *a);
long sys_chown(const struct sysargs *a);
long sys_fchown(const struct sysargs *a);
long sys_lchown(const struct sysargs *a);
long sys_fchownat(const struct sysargs *a);
long sys_utimensat(const struct sysargs *a);
long sys_mount(const struct sysargs *a);
long sys_umount2(const struct sysargs *a);

/* sys_file.c */
long sys_read(const struct sysargs *a);
long sys_write(const struct sysargs *a);
long sys_readv(const struct sysargs *a);
long sys_writev(const struct sysargs *a);
long sys_pread64(const struct sysargs *a);
long sys_pwrite64(const struct sysargs *a);
long sys_open(const struct sysargs *a);
long sys_openat(const struct sysargs *a);
long sys_close(const struct sysargs *a);
long sys_lseek(const struct sysargs *a);
long sys_fstat(const struct sysargs *a);
long sys_getdents64(const struct sysargs *a);
long sys_ioctl(const struct sysargs *a);
long sys_pipe(const struct sysargs *a);
long sys_pipe2(const struct sysargs *a);
long sys_dup(const struct sysargs *a);
long sys_dup2(const struct sysargs *a);
long sys_dup3(const struct sysargs *a);
long sys_fcntl(const struct sysargs *a);
long sys_ftruncate(const struct sysargs *a);
long sys_fsync(const struct sysargs *a);
long sys_sync(const struct sysargs *a);
long sys_sendfile(const struct sysargs *a);

/* sys_path.c */
long sys_stat(const struct sysargs *a);
long sys_lstat(const struct sysargs *a);
long sys_newfstatat(const struct sysargs *a);
long sys_access(const struct sysargs *a);
long sys_faccessat(const struct sysargs *a);
long sys_readlink(const struct sysargs *a);
long sys_readlinkat(const struct sysargs *a);
long sys_getcwd(const struct sysargs *a);
long sys_chdir(const struct sysargs *a);
long sys_fchdir(const struct sysargs *a);
long sys_mkdir(const struct sysargs *a);
long sys_mkdirat(const struct sysargs *a);
long sys_rmdir(const struct sysargs *a);
long sys_unlink(const struct sysargs *a);
long sys_unlinkat(const struct sysargs *a);
long sys_rename(const struct sysargs *a);
long sys_renameat(const struct sysargs *a);
long sys_truncate(const struct sysargs *a);
long sys_statfs(const struct sysargs *a);
long sys_fstatfs(const struct sysargs *a);

/* sys_seed.c: the seed's own calls (int 0x80) */
long sys_seed_putc(const struct sysargs *a);
long sys_seed_exit(const struct sysargs *a);
long sys_seed_clear(const struct sysargs *a);
long sys_seed_cursor(const struct sysargs *a);
long sys_seed_read_file(const struct sysargs *a);
long sys_seed_write_file(const struct sysargs *a);
long sys_seed_scancode(const struct sysargs *a);
long sys_seed_yield(const struct sysargs *a);
long sys_seed_key(const struct sysargs *a);
long sys_seed_blit(const struct sysargs *a);
long sys_seed_uptime(const struct sysargs *a);
long sys_seed_open(const struct sysargs *a);
long sys_seed_read(const struct sysargs *a);
long sys_seed_seek(const struct sysargs *a);
long sys_seed_close(const struct sysargs *a);
long sys_seed_screen_enter(const struct sysargs *a);
long sys_seed_screen_leave(const struct sysargs *a);
long sys_seed_mkdir(const struct sysargs *a);
long sys_seed_remove(const struct sysargs *a);
long sys_seed_rename(const struct sysargs *a);
long sys_seed_mouse_delta(const struct sysargs *a);
long sys_seed_mouse_buttons(const struct sysargs *a);
