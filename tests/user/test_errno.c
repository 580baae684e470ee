/*
 * Differential test: the errno of each error path, one call at a time.
 *
 * Grouped by error: ENOENT, EEXIST, EBADF, EFAULT, ENOTDIR, EISDIR,
 * ENOTEMPTY, EPIPE, ECHILD, ENOEXEC, EINVAL, ESPIPE, ERANGE, ENOTTY,
 * ENAMETOOLONG. Bad pointers are passed straight to the system call with
 * syscall() where musl would touch them first (and crash) or check them
 * itself; the kernel must answer -EFAULT and live. The result lines are
 * "name: -1 ENAME", so a wrong errno shows as a one-line difference.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "ucheck.h"

#define BAD_PTR    ((void *)1)                    /* never mapped */
#define KERNEL_PTR ((void *)0xffffffff80000000ul) /* the kernel half */

static char buf[512];

static void make(const char *name)
{
    close(open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644));
}

static void enoent(void)
{
    struct stat st;
    uc_ret("ENOENT open", open("none", O_RDONLY));
    uc_ret("ENOENT stat", stat("none", &st));
    uc_ret("ENOENT unlink", unlink("none"));
    uc_ret("ENOENT rmdir", rmdir("none"));
    uc_ret("ENOENT chdir", chdir("none"));
    uc_ret("ENOENT rename", rename("none", "other"));
    uc_ret("ENOENT mkdir parent", mkdir("none/dir", 0755));
    uc_ret("ENOENT creat in missing dir",
           open("none/f", O_CREAT | O_WRONLY, 0644));
    uc_ret("ENOENT access", access("none", F_OK));
    uc_ret("ENOENT truncate", truncate("none", 0));
}

static void eexist(void)
{
    make("exists");
    mkdir("dir", 0755);
    uc_ret("EEXIST O_EXCL file",
           open("exists", O_CREAT | O_EXCL | O_WRONLY, 0644));
    uc_ret("EEXIST O_EXCL dir", open("dir", O_CREAT | O_EXCL | O_WRONLY, 0644));
    uc_ret("EEXIST mkdir on file", mkdir("exists", 0755));
    uc_ret("EEXIST mkdir on dir", mkdir("dir", 0755));
}

static void ebadf(void)
{
    struct stat st;
    uc_ret("EBADF read -1", read(-1, buf, 1));
    uc_ret("EBADF write 1000", write(1000, buf, 1));
    uc_ret("EBADF close", close(1000));
    uc_ret("EBADF fstat", fstat(77, &st));
    uc_ret("EBADF lseek", lseek(77, 0, SEEK_SET));
    uc_ret("EBADF dup", dup(77));
    uc_ret("EBADF fsync", fsync(77));
    uc_ret("EBADF ftruncate", ftruncate(77, 0));
    uc_ret("EBADF getdents64", syscall(SYS_getdents64, 77, buf, sizeof buf));
    int fd = open("exists", O_RDONLY);
    uc_ret("EINVAL ftruncate read-only", ftruncate(fd, 0));
    close(fd);
    fd = open("exists", O_WRONLY);
    uc_ret("EBADF read write-only", read(fd, buf, 1));
    close(fd);
}

/* The kernel must refuse bad user pointers with EFAULT, never crash. */
static void efault(void)
{
    int fd = open("exists", O_RDWR);
    write(fd, "data", 4);
    lseek(fd, 0, SEEK_SET);
    uc_ret("EFAULT read into bad", syscall(SYS_read, fd, BAD_PTR, 4));
    uc_ret("EFAULT read into kernel", syscall(SYS_read, fd, KERNEL_PTR, 4));
    uc_ret("EFAULT write from bad", syscall(SYS_write, fd, BAD_PTR, 4));
    uc_ret("EFAULT write from kernel", syscall(SYS_write, fd, KERNEL_PTR, 4));
    uc_ret("EFAULT open bad path", syscall(SYS_open, BAD_PTR, O_RDONLY));
    uc_ret("EFAULT open kernel path", syscall(SYS_open, KERNEL_PTR, O_RDONLY));
    uc_ret("EFAULT fstat bad buf", syscall(SYS_fstat, fd, BAD_PTR));
    uc_ret("EFAULT stat bad buf", syscall(SYS_stat, "exists", BAD_PTR));
    uc_ret("EFAULT pipe", syscall(SYS_pipe, BAD_PTR));
    uc_ret("EFAULT getcwd", syscall(SYS_getcwd, BAD_PTR, 100));
    uc_ret("EFAULT clock_gettime", syscall(SYS_clock_gettime, 0, BAD_PTR));
    uc_ret("EFAULT uname", syscall(SYS_uname, KERNEL_PTR));
    struct iovec iov = {BAD_PTR, 4};
    uc_ret("EFAULT writev bad base", syscall(SYS_writev, fd, &iov, 1));
    uc_ret("EFAULT writev bad array", syscall(SYS_writev, fd, BAD_PTR, 1));
    uc_ret("EFAULT wrapping range",
           syscall(SYS_read, fd, (void *)0x7ffffffff000ul, ~0ul >> 1));
    uc_ret("EFAULT mkdir", syscall(SYS_mkdir, BAD_PTR, 0755));
    uc_ret("EFAULT chdir", syscall(SYS_chdir, KERNEL_PTR));
    uc_ret("EFAULT execve path", syscall(SYS_execve, BAD_PTR, NULL, NULL));
    close(fd);
}

static void path_kinds(void)
{
    make("plain");
    mkdir("full", 0755);
    make("full/x");
    uc_ret("ENOTDIR open through file", open("plain/x", O_RDONLY));
    uc_ret("ENOTDIR mkdir through file", mkdir("plain/x", 0755));
    uc_ret("ENOTDIR rmdir file", rmdir("plain"));
    uc_ret("ENOTDIR chdir file", chdir("plain"));
    uc_ret("ENOTDIR O_DIRECTORY", open("plain", O_RDONLY | O_DIRECTORY));
    uc_ret("ENOTDIR rename dir over file", rename("full", "plain"));
    uc_ret("EISDIR open dir O_RDWR", open("full", O_RDWR));
    uc_ret("EISDIR unlink dir", unlink("full"));
    uc_ret("EISDIR rename file over dir", rename("plain", "full"));
    int d = open("full", O_RDONLY);
    uc_ret("EISDIR read dir", read(d, buf, 1));
    close(d);
    uc_ret("ENOTEMPTY rmdir", rmdir("full"));
    mkdir("other", 0755);
    make("other/y");
    uc_ret("ENOTEMPTY rename over full dir", rename("other", "full"));
    uc_ret("EINVAL rename into itself", rename("full", "full/sub"));
    char name[300];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = 0;
    uc_ret("ENAMETOOLONG open", open(name, O_RDONLY));
    uc_ret("ENAMETOOLONG mkdir", mkdir(name, 0755));
}

static void pipes_and_children(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    uc_ret("EPIPE write", write(p[1], "x", 1));
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
    pipe(p);
    uc_ret("ESPIPE lseek", lseek(p[0], 0, SEEK_CUR));
    uc_ret("ESPIPE pread", pread(p[0], buf, 1, 0));
    close(p[0]);
    close(p[1]);
    int st;
    uc_ret("ECHILD wait", wait(&st));
    uc_ret("ECHILD waitpid", waitpid(12345, &st, 0));
}

static void misc(void)
{
    make("notexe");
    char *argv[] = {"notexe", NULL}, *envp[] = {NULL};
    int fd = open("junk", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, "\177ELF not really", 15);
    close(fd);
    uc_ret("ENOEXEC bad ELF", execve("./junk", argv, envp));
    uc_ret("EINVAL lseek whence", lseek(0, 0, 7));
    uc_ret("EINVAL read negative count via readv",
           readv(0, (struct iovec *)buf, -1));
    uc_ret("ERANGE getcwd", getcwd(buf, 1) ? 0 : -1);
    uc_ret("ERANGE getcwd size 0", syscall(SYS_getcwd, buf, 0));
    int f = open("exists", O_RDONLY);
    struct termios t;
    uc_ret("ENOTTY tcgetattr file", tcgetattr(f, &t));
    struct winsize ws;
    uc_ret("ENOTTY TIOCGWINSZ file", ioctl(f, TIOCGWINSZ, &ws));
    uc_val("isatty file", "%d", isatty(f));
    close(f);
    uc_ret("ENOSYS unknown call", syscall(1000));
    uc_ret("EINVAL kill signal", kill(getpid(), 65));
    uint64_t set = 0;
    uc_ret("EINVAL rt_sigprocmask how",
           syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8));
    uc_ret("EINVAL rt_sigprocmask size",
           syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
    uc_ret("EINVAL rt_sigaction KILL",
           syscall(SYS_rt_sigaction, SIGKILL, buf, NULL, 8));
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    enoent();
    eexist();
    ebadf();
    efault();
    path_kinds();
    pipes_and_children();
    misc();
    return uc_close();
}
