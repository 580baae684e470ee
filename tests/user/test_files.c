/*
 * Differential test: regular files through the Linux door.
 *
 * Creates, writes, reads, seeks, truncates, renames and unlinks files in the
 * current directory (a scratch directory on Linux, the FAT32 disk on Ember),
 * and writes what each call returned to the result file. Only sizes,
 * contents (as checksums), errno names and file types are printed: no modes,
 * inode numbers, link counts or times. No file is bigger than 2 MiB, no
 * name differs from another only in case, and there are no links.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sys/sendfile.h>

#include "ucheck.h"

#define BIG_LEN (2u << 20) /* 2 MiB: a few clusters' worth of chains */

static char buf[8192];

/* Creates `name` holding `text`; returns 0 or -1. */
static int put_file(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The whole of `name` as a string in buf (truncated to the buffer). */
static const char *get_file(const char *name)
{
    int fd = open(name, O_RDONLY);
    if (fd < 0)
        return "(cannot open)";
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return buf;
}

static long size_of(const char *name)
{
    struct stat st;
    if (stat(name, &st) < 0)
        return -1;
    return (long)st.st_size;
}

static void create_write_read(void)
{
    int fd = open("a.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    uc_ret("open create", fd >= 0 ? 0 : -1);
    uc_ret("write 11", write(fd, "hello world", 11));
    uc_ret("write 0", write(fd, "", 0));
    uc_ret("close", close(fd));
    uc_val("size after write", "%ld", size_of("a.txt"));
    uc_val("content", "%s", get_file("a.txt"));

    fd = open("a.txt", O_RDONLY);
    uc_ret("read 5", read(fd, buf, 5));
    uc_ret("lseek cur", lseek(fd, 0, SEEK_CUR));
    uc_ret("read rest", read(fd, buf, sizeof buf));
    uc_ret("read at eof", read(fd, buf, sizeof buf));
    uc_ret("lseek end", lseek(fd, 0, SEEK_END));
    uc_ret("lseek set 6", lseek(fd, 6, SEEK_SET));
    uc_ret("read after seek", read(fd, buf, 5));
    uc_val("read after seek bytes", "%.5s", buf);
    uc_ret("lseek cur -3", lseek(fd, -3, SEEK_CUR));
    uc_ret("lseek negative", lseek(fd, -100, SEEK_SET));
    uc_ret("lseek bad whence", lseek(fd, 0, 42));
    uc_ret("write on O_RDONLY", write(fd, "x", 1));
    close(fd);
}

static void append_trunc_excl(void)
{
    int fd = open("a.txt", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    uc_ret("append write", write(fd, "!", 1));
    uc_ret("append offset", lseek(fd, 0, SEEK_CUR));
    close(fd);
    uc_val("after append", "%s", get_file("a.txt"));

    uc_ret("O_EXCL on existing",
           open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
    fd = open("b.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    uc_ret("O_EXCL on new", fd >= 0 ? 0 : -1);
    close(fd);
    fd = open("a.txt", O_RDWR | O_TRUNC);
    uc_val("size after O_TRUNC", "%ld", size_of("a.txt"));
    close(fd);
    uc_ret("open missing", open("missing.txt", O_RDONLY));
    uc_ret("O_DIRECTORY on file", open("b.txt", O_RDONLY | O_DIRECTORY));
}

/* Seeking past the end and writing leaves a gap that reads as zeros. */
static void holes_and_truncate(void)
{
    int fd = open("hole.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    lseek(fd, 10000, SEEK_SET);
    uc_ret("write past end", write(fd, "END", 3));
    uc_val("hole file size", "%ld", size_of("hole.bin"));
    lseek(fd, 0, SEEK_SET);
    memset(buf, 0x55, sizeof buf);
    ssize_t n = read(fd, buf, 8000);
    int zeros = 1;
    for (ssize_t i = 0; i < n; i++)
        zeros &= buf[i] == 0;
    uc_val("hole reads zeros", "%zd %d", n, zeros);

    uc_ret("ftruncate shrink", ftruncate(fd, 100));
    uc_val("size after shrink", "%ld", size_of("hole.bin"));
    uc_ret("offset kept", lseek(fd, 0, SEEK_CUR));
    uc_ret("read past new end", read(fd, buf, 10));
    uc_ret("ftruncate grow", ftruncate(fd, 5000));
    lseek(fd, 4990, SEEK_SET);
    n = read(fd, buf, 100);
    uc_val("grown tail", "%zd %lx", n, uc_sum(buf, n > 0 ? (size_t)n : 0));
    uc_ret("ftruncate negative", ftruncate(fd, -1));
    close(fd);
    uc_ret("truncate path", truncate("hole.bin", 7));
    uc_val("size after truncate", "%ld", size_of("hole.bin"));
    uc_ret("truncate missing", truncate("nope.bin", 0));
}

static void pread_pwrite_vectors(void)
{
    put_file("p.txt", "0123456789");
    int fd = open("p.txt", O_RDWR);
    lseek(fd, 2, SEEK_SET);
    uc_ret("pread", pread(fd, buf, 3, 5));
    uc_val("pread bytes", "%.3s", buf);
    uc_ret("pwrite", pwrite(fd, "ab", 2, 8));
    uc_ret("offset unchanged", lseek(fd, 0, SEEK_CUR));
    uc_ret("pread negative", pread(fd, buf, 1, -1));

    char x[3] = "XY", z[3] = "Z";
    struct iovec w[2] = {{x, 2}, {z, 1}};
    uc_ret("writev", writev(fd, w, 2));
    char r1[4] = {0}, r2[4] = {0};
    struct iovec r[2] = {{r1, 3}, {r2, 3}};
    lseek(fd, 0, SEEK_SET);
    uc_ret("readv", readv(fd, r, 2));
    uc_val("readv bytes", "%s|%s", r1, r2);
    uc_ret("readv negative count", readv(fd, r, -1));
    close(fd);
    uc_val("after pwrite/writev", "%s", get_file("p.txt"));
}

#define SHARED_LEN    (256u << 10) /* the file two processes share */
#define SHARED_PREAD  (128u << 10) /* two of the kernel's 64 KiB chunks */
#define SHARED_ROUNDS 100          /* several scheduler slices of preads */
#define SHARED_STEP   16           /* the parent's reads */

static unsigned char pattern_at(uint64_t k)
{
    return (unsigned char)(k * 7 + k / 251);
}

/*
 * pread beside a process that shares the open file (fork shares the
 * offset): a child preads for many scheduler slices while the parent reads
 * the file in order. The parent's offset must move only by its own reads,
 * and its bytes must be the ones at that offset. A kernel that implements
 * pread as seek, read, seek back lets the parent see (and read at) the
 * child's offset in between, which this counts.
 */
static void pread_beside_a_sharer(void)
{
    static unsigned char big[SHARED_PREAD];
    int fd = open("shared.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (uint64_t k = 0; k < SHARED_LEN; k += SHARED_PREAD) {
        for (uint64_t i = 0; i < SHARED_PREAD; i++)
            big[i] = pattern_at(k + i);
        write(fd, big, SHARED_PREAD);
    }
    lseek(fd, 0, SEEK_SET);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        for (int r = 0; r < SHARED_ROUNDS; r++)
            pread(fd, big, SHARED_PREAD, SHARED_LEN - SHARED_PREAD);
        _exit(0);
    }
    int moved = 0, wrong = 0, st = 0;
    uint64_t pos = 0;
    unsigned char got[SHARED_STEP];
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (pos + SHARED_STEP > SHARED_LEN)
            pos = (uint64_t)lseek(fd, 0, SEEK_SET);
        ssize_t n = read(fd, got, SHARED_STEP);
        for (ssize_t i = 0; i < n; i++)
            wrong += got[i] != pattern_at(pos + (uint64_t)i);
        pos += n > 0 ? (uint64_t)n : 0;
        moved += lseek(fd, 0, SEEK_CUR) != (off_t)pos;
    }
    close(fd);
    uc_status("pread sharer", st);
    uc_val("pread sharer: parent's offset moved by others", "%d", moved);
    uc_val("pread sharer: parent's bytes from elsewhere", "%d", wrong);
    unlink("shared.bin");
}

/* A 2 MiB file written in odd-sized pieces reads back the same. */
static void big_file(void)
{
    static unsigned char big[BIG_LEN];
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (unsigned char)(i * 7 + (i >> 11));
    int fd = open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t done = 0;
    while (done < BIG_LEN) {
        size_t piece = BIG_LEN - done < 12345 ? BIG_LEN - done : 12345;
        ssize_t n = write(fd, big + done, piece);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    close(fd);
    uc_val("big written", "%zu", done);
    uc_val("big size", "%ld", size_of("big.bin"));
    unsigned long want = uc_sum(big, BIG_LEN);
    memset(big, 0, BIG_LEN);
    fd = open("big.bin", O_RDONLY);
    done = 0;
    ssize_t n;
    while ((n = read(fd, big + done, BIG_LEN - done)) > 0)
        done += (size_t)n;
    close(fd);
    uc_val("big read back", "%zu %d", done, uc_sum(big, BIG_LEN) == want);
    FILE *fp = fopen("big.bin", "rb");
    fseek(fp, 1000000, SEEK_SET);
    int c = fgetc(fp);
    uc_val("stdio seek and getc", "%d",
           c == (unsigned char)(1000000 * 7 + (1000000 >> 11)));
    fclose(fp);
    uc_ret("unlink big", unlink("big.bin"));
}

/* rename replaces its target; an unlinked open file keeps its data. */
static void rename_and_unlink(void)
{
    put_file("r1.txt", "first");
    put_file("r2.txt", "second");
    uc_ret("rename over existing", rename("r1.txt", "r2.txt"));
    uc_val("target content", "%s", get_file("r2.txt"));
    uc_ret("old name gone", access("r1.txt", F_OK));
    uc_ret("rename missing", rename("r1.txt", "r3.txt"));
    uc_ret("rename to same", rename("r2.txt", "r2.txt"));

    int fd = open("r2.txt", O_RDONLY);
    uc_ret("unlink open file", unlink("r2.txt"));
    uc_ret("unlinked name gone", open("r2.txt", O_RDONLY));
    memset(buf, 0, sizeof buf);
    uc_ret("read unlinked", read(fd, buf, 100));
    uc_val("unlinked data", "%s", buf);
    struct stat st;
    fstat(fd, &st);
    uc_val("fstat unlinked size", "%ld", (long)st.st_size);
    uc_ret("close unlinked", close(fd));
    uc_ret("unlink twice", unlink("r2.txt"));
}

static void types_and_access(void)
{
    struct stat st;
    uc_ret("stat file", stat("b.txt", &st));
    uc_val("file is regular", "%d", S_ISREG(st.st_mode));
    uc_ret("stat dir", stat(".", &st));
    uc_val("dot is dir", "%d", S_ISDIR(st.st_mode));
    int fd = open("b.txt", O_RDONLY);
    uc_ret("fstat", fstat(fd, &st));
    uc_val("fstat size", "%ld", (long)st.st_size);
    close(fd);
    uc_ret("access F_OK", access("b.txt", F_OK));
    uc_ret("access R_OK|W_OK", access("b.txt", R_OK | W_OK));
    uc_ret("access missing", access("zzz", F_OK));
    fd = open("b.txt", O_WRONLY);
    uc_ret("fsync", fsync(fd));
    uc_ret("fdatasync", fdatasync(fd));
    close(fd);
    uc_ret("open dir for writing", open(".", O_WRONLY));
    fd = open(".", O_RDONLY);
    uc_ret("read a directory", read(fd, buf, 10));
    close(fd);
}

/* sendfile: at an offset (in's own stays), from in's offset, and errors. */
static void send_file(void)
{
    put_file("s.txt", "0123456789");
    int in = open("s.txt", O_RDONLY);
    int out = open("d.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    off_t off = 2;
    uc_ret("sendfile at offset", sendfile(out, in, &off, 5));
    uc_val("sendfile offset moved", "%ld", (long)off);
    uc_ret("sendfile in offset kept", lseek(in, 0, SEEK_CUR));
    uc_ret("sendfile from in offset", sendfile(out, in, NULL, 100));
    uc_ret("sendfile in offset moved", lseek(in, 0, SEEK_CUR));
    uc_ret("sendfile at end", sendfile(out, in, NULL, 100));
    off = -1;
    uc_ret("sendfile negative offset", sendfile(out, in, &off, 1));
    uc_ret("sendfile bad out", sendfile(99, in, NULL, 1));
    uc_ret("sendfile bad in", sendfile(out, 99, NULL, 1));
    int p[2];
    uc_ret("pipe", pipe(p));
    off = 0;
    uc_ret("sendfile into a pipe", sendfile(p[1], in, &off, 4));
    char b[8] = {0};
    uc_ret("read the pipe", read(p[0], b, sizeof b - 1));
    uc_val("pipe bytes", "%s", b);
    off = 0;
    uc_ret("sendfile from a pipe at offset", sendfile(out, p[0], &off, 1));
    close(p[0]);
    close(p[1]);
    close(out);
    close(in);
    uc_val("sent", "%s", get_file("d.txt"));
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    create_write_read();
    append_trunc_excl();
    holes_and_truncate();
    pread_pwrite_vectors();
    pread_beside_a_sharer();
    big_file();
    rename_and_unlink();
    types_and_access();
    send_file();
    return uc_close();
}
