/*
 * Differential test: pipes, dup, dup2, dup3 and fcntl.
 *
 * Covers a pipe's data, its EOF when the last writer closes, SIGPIPE (the
 * default) and EPIPE (when SIGPIPE is ignored) when the last reader has
 * gone, a 1 MiB transfer between two processes, descriptor numbering (the
 * lowest free one, as POSIX requires), offsets shared by duplicates and
 * across fork, and fcntl's F_GETFD/F_SETFD/F_GETFL/F_SETFL/F_DUPFD. A pipe's
 * capacity differs between kernels, so no case depends on it.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "ucheck.h"

#define XFER_LEN   (1u << 20)
#define XFER_PIECE 3000 /* odd-sized, so reads and writes do not line up */

static unsigned char xfer[XFER_LEN];

static void basics(void)
{
    int p[2];
    char b[16] = {0};
    uc_ret("pipe", pipe(p));
    uc_val("pipe fds are lowest free", "%d %d", p[0], p[1]);
    uc_ret("write pipe", write(p[1], "ping", 4));
    uc_ret("read pipe", read(p[0], b, sizeof b));
    uc_val("pipe data", "%s", b);
    uc_ret("write read end", write(p[0], "x", 1));
    uc_ret("read write end", read(p[1], b, 1));
    uc_ret("lseek pipe", lseek(p[0], 0, SEEK_SET));
    write(p[1], "tail", 4);
    close(p[1]);
    memset(b, 0, sizeof b);
    uc_ret("read after writer closed", read(p[0], b, sizeof b));
    uc_ret("then EOF", read(p[0], b, sizeof b));
    uc_ret("close", close(p[0]));
    uc_ret("close again", close(p[0]));
    uc_ret("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
    uc_ret("F_GETFD of O_CLOEXEC", fcntl(p[0], F_GETFD));
    close(p[0]);
    close(p[1]);
    uc_ret("pipe2 bad flags", pipe2(p, 0x4));
}

static void write_to_closed(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0); /* not reached: SIGPIPE terminates */
    }
    int st;
    waitpid(pid, &st, 0);
    uc_status("write with no reader", st);
    signal(SIGPIPE, SIG_IGN);
    uc_ret("write with SIGPIPE ignored", write(p[1], "x", 1));
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
}

/* A child writes 1 MiB in odd pieces; the parent reads it all back. */
static void transfer(void)
{
    int p[2];
    pipe(p);
    for (size_t i = 0; i < XFER_LEN; i++)
        xfer[i] = (unsigned char)(i ^ (i >> 9));
    unsigned long want = uc_sum(xfer, XFER_LEN);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (size_t off = 0; off < XFER_LEN;) {
            size_t n =
                XFER_LEN - off < XFER_PIECE ? XFER_LEN - off : XFER_PIECE;
            ssize_t w = write(p[1], xfer + off, n);
            if (w <= 0)
                _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(p[1]);
    memset(xfer, 0, XFER_LEN);
    size_t got = 0;
    ssize_t n;
    while (got < XFER_LEN && (n = read(p[0], xfer + got, XFER_LEN - got)) > 0)
        got += (size_t)n;
    uc_val("1 MiB through a pipe", "%zu %d", got,
           uc_sum(xfer, XFER_LEN) == want);
    uc_ret("EOF after transfer", read(p[0], xfer, 1));
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    uc_status("writer", st);
}

static void dups(void)
{
    int fd = open("dupfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
    uc_val("open gets lowest", "%d", fd);
    int d = dup(fd);
    uc_val("dup gets next", "%d", d);
    write(fd, "abcdef", 6);
    uc_ret("dup shares offset", lseek(d, 0, SEEK_CUR));
    lseek(d, 1, SEEK_SET);
    uc_ret("seek through dup", lseek(fd, 0, SEEK_CUR));
    close(fd);
    int again = open("dupfile", O_RDONLY);
    uc_val("closed number reused", "%d", again == fd);
    close(again);
    uc_ret("dup2 onto free", dup2(d, 20));
    uc_ret("dup2 onto itself", dup2(d, d));
    uc_ret("dup2 bad old", dup2(99, 21));
    uc_ret("dup2 bad new", dup2(d, -1));
    uc_ret("dup bad", dup(99));
    int e = open("dupfile", O_RDONLY);
    uc_ret("dup2 onto open closes it", dup2(d, e));
    uc_ret("now it is the dup", lseek(e, 0, SEEK_CUR));
    uc_ret("dup3 same fd", dup3(d, d, 0));
    uc_ret("dup3 O_CLOEXEC", dup3(d, 22, O_CLOEXEC));
    uc_ret("F_GETFD after dup3", fcntl(22, F_GETFD));
    uc_ret("F_GETFD after dup2", fcntl(20, F_GETFD));
    close(20);
    close(22);
    close(e);

    /* A child's writes move the offset the parent sees. */
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        lseek(d, 0, SEEK_END);
        write(d, "XYZ", 3);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    uc_ret("offset shared across fork", lseek(d, 0, SEEK_CUR));
    close(d);
}

static void fcntls(void)
{
    int fd = open("dupfile", O_WRONLY);
    uc_ret("F_GETFD", fcntl(fd, F_GETFD));
    uc_ret("F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC));
    uc_ret("F_GETFD set", fcntl(fd, F_GETFD));
    uc_ret("F_GETFL wronly", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND));
    uc_ret("F_SETFL append", fcntl(fd, F_SETFL, O_APPEND));
    uc_ret("F_GETFL append", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND));
    lseek(fd, 0, SEEK_SET);
    write(fd, "!", 1);
    uc_ret("append via F_SETFL", lseek(fd, 0, SEEK_CUR));
    int low = fcntl(fd, F_DUPFD, 30);
    uc_ret("F_DUPFD min 30", low);
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 30);
    uc_ret("F_DUPFD_CLOEXEC min 30", high);
    uc_ret("its FD_CLOEXEC", fcntl(high, F_GETFD));
    uc_ret("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
    uc_ret("dup clears FD_CLOEXEC", fcntl(dup(fd), F_GETFD));
    uc_ret("F_GETFD bad fd", fcntl(99, F_GETFD));
    uc_ret("fcntl bad cmd", fcntl(fd, 9999));
    int rd = open("dupfile", O_RDONLY);
    uc_ret("F_GETFL rdonly", fcntl(rd, F_GETFL) & O_ACCMODE);
    int rw = open("dupfile", O_RDWR);
    uc_ret("F_GETFL rdwr", fcntl(rw, F_GETFL) & O_ACCMODE);
    int p[2];
    pipe(p);
    uc_ret("F_GETFL pipe write end", fcntl(p[1], F_GETFL) & O_ACCMODE);
    close(p[0]);
    close(p[1]);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    basics();
    write_to_closed();
    transfer();
    dups();
    fcntls();
    return uc_close();
}
