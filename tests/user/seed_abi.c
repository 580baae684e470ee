/*
 * The seed's ABI: all 22 `int 0x80` calls, each with its result checked.
 *
 * Runs in a scratch directory (init's -C) on Ember only, with no key or
 * mouse input pending and nobody else holding the screen. It walks the
 * calls in the seed's order of subject: console output (1, 3, 4), whole
 * files (5, 6), descriptors (12-15), directories (18-20), time and the CPU
 * (8, 11), input with nothing pending (7, 9, 21, 22), the screen (10, 16,
 * 17, with the release at exit and the -EBUSY of a second holder), numbers
 * with no call, and exit (2) twice: in a child, whose status the parent
 * reads with waitpid, and last of all with this program's verdict. What the
 * console calls print is checked by the system test on the serial port
 * (tests/system/test_seed.py): "seed: putc ok" and the cursor's escape.
 *
 * See: docs/syscalls.md, tests/user/scheck.h
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ember/syscall_seed.h>

#include "scheck.h"

#define FILE_BYTES 5000
#define BIG_BYTES  (200 * 1024) /* more than the kernel's 64 KiB bounce */

static long call0(long nr)
{
    return seed_call(nr, 0, 0, 0);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void console_calls(void)
{
    const char *msg = "seed: putc ok\n";
    long bad = 0;
    for (const char *s = msg; *s; s++)
        bad |= seed_call(SEED_SYS_PUTC, (unsigned char)*s, 0, 0);
    sc_ret("putc_returns_zero", bad, 0);
    sc_ret("clear_returns_zero", call0(SEED_SYS_CLEAR), 0);
    /* x = 4, y = 2: the console is told ESC[3;5H (1-based row;column). */
    sc_ret("cursor_returns_zero", seed_call(SEED_SYS_CURSOR, 4 | 2 << 16, 0, 0),
           0);
    sc_ret("cursor_off_screen_is_einval",
           seed_call(SEED_SYS_CURSOR, 5000 | 5000 << 16, 0, 0), -EINVAL);
}

static void whole_file_calls(void)
{
    static char data[BIG_BYTES], back[BIG_BYTES + 16];
    for (int i = 0; i < BIG_BYTES; i++)
        data[i] = (char)(i * 7 + i / 251);

    sc_ret("write_file_creates",
           seed_call(SEED_SYS_WRITE_FILE, (long)"seed.txt", (long)data,
                     FILE_BYTES),
           FILE_BYTES);
    long n = seed_call(SEED_SYS_READ_FILE, (long)"seed.txt", (long)back,
                       sizeof back);
    sc_check("read_file_reads_whole_file",
             n == FILE_BYTES && memcmp(back, data, FILE_BYTES) == 0,
             "returned %ld", n);
    n = seed_call(SEED_SYS_READ_FILE, (long)"seed.txt", (long)back, 100);
    sc_check("read_file_stops_at_cap", n == 100 && memcmp(back, data, 100) == 0,
             "returned %ld", n);
    sc_ret("write_file_replaces",
           seed_call(SEED_SYS_WRITE_FILE, (long)"seed.txt", (long)data + 1, 10),
           10);
    n = seed_call(SEED_SYS_READ_FILE, (long)"seed.txt", (long)back,
                  sizeof back);
    sc_check("read_file_sees_replacement",
             n == 10 && memcmp(back, data + 1, 10) == 0, "returned %ld", n);
    sc_ret(
        "write_file_big",
        seed_call(SEED_SYS_WRITE_FILE, (long)"big.bin", (long)data, BIG_BYTES),
        BIG_BYTES);
    memset(back, 0, sizeof back);
    n = seed_call(SEED_SYS_READ_FILE, (long)"big.bin", (long)back, sizeof back);
    sc_check("read_file_big", n == BIG_BYTES && !memcmp(back, data, BIG_BYTES),
             "returned %ld", n);
    sc_ret("read_file_missing_is_enoent",
           seed_call(SEED_SYS_READ_FILE, (long)"nope.txt", (long)back, 10),
           -ENOENT);
    sc_ret("write_file_into_missing_dir_is_enoent",
           seed_call(SEED_SYS_WRITE_FILE, (long)"nodir/x.txt", (long)data, 10),
           -ENOENT);
    /* Leave seed.txt with FILE_BYTES for the descriptor calls. */
    seed_call(SEED_SYS_WRITE_FILE, (long)"seed.txt", (long)data, FILE_BYTES);
    seed_call(SEED_SYS_REMOVE, (long)"big.bin", 0, 0);
}

static void descriptor_calls(void)
{
    char want[FILE_BYTES], buf[64];
    long n = seed_call(SEED_SYS_READ_FILE, (long)"seed.txt", (long)want,
                       sizeof want);
    long fd = seed_call(SEED_SYS_OPEN, (long)"seed.txt", O_RDONLY, 0);
    sc_check("open_gives_descriptor", n == FILE_BYTES && fd >= 3,
             "open returned %ld (file %ld bytes)", fd, n);
    n = seed_call(SEED_SYS_READ, fd, (long)buf, 10);
    sc_check("read_from_start", n == 10 && !memcmp(buf, want, 10),
             "returned %ld", n);
    sc_ret("seek_set", seed_call(SEED_SYS_SEEK, fd, 100, SEED_SEEK_SET), 100);
    n = seed_call(SEED_SYS_READ, fd, (long)buf, 8);
    sc_check("read_after_seek_set", n == 8 && !memcmp(buf, want + 100, 8),
             "returned %ld", n);
    sc_ret("seek_cur", seed_call(SEED_SYS_SEEK, fd, 12, SEED_SEEK_CUR), 120);
    sc_ret("seek_end", seed_call(SEED_SYS_SEEK, fd, -10, SEED_SEEK_END),
           FILE_BYTES - 10);
    n = seed_call(SEED_SYS_READ, fd, (long)buf, sizeof buf);
    sc_check("read_stops_at_end",
             n == 10 && !memcmp(buf, want + FILE_BYTES - 10, 10),
             "returned %ld", n);
    sc_ret("read_at_end_is_zero", seed_call(SEED_SYS_READ, fd, (long)buf, 8),
           0);
    sc_ret("seek_bad_whence_is_einval", seed_call(SEED_SYS_SEEK, fd, 0, 3),
           -EINVAL);
    sc_ret("close_returns_zero", seed_call(SEED_SYS_CLOSE, fd, 0, 0), 0);
    sc_ret("close_twice_is_ebadf", seed_call(SEED_SYS_CLOSE, fd, 0, 0), -EBADF);
    sc_ret("read_closed_is_ebadf", seed_call(SEED_SYS_READ, fd, (long)buf, 8),
           -EBADF);
    sc_ret("open_missing_is_enoent",
           seed_call(SEED_SYS_OPEN, (long)"nope.txt", O_RDONLY, 0), -ENOENT);
}

static void directory_calls(void)
{
    char buf[FILE_BYTES];
    sc_ret("mkdir_creates", seed_call(SEED_SYS_MKDIR, (long)"sdir", 0, 0), 0);
    sc_ret("mkdir_existing_is_eexist",
           seed_call(SEED_SYS_MKDIR, (long)"sdir", 0, 0), -EEXIST);
    sc_ret(
        "rename_moves",
        seed_call(SEED_SYS_RENAME, (long)"seed.txt", (long)"sdir/moved.txt", 0),
        0);
    sc_ret(
        "rename_leaves_no_old_name",
        seed_call(SEED_SYS_READ_FILE, (long)"seed.txt", (long)buf, sizeof buf),
        -ENOENT);
    sc_ret("rename_keeps_contents",
           seed_call(SEED_SYS_READ_FILE, (long)"sdir/moved.txt", (long)buf,
                     sizeof buf),
           FILE_BYTES);
    sc_ret("rename_missing_is_enoent",
           seed_call(SEED_SYS_RENAME, (long)"nope", (long)"nope2", 0), -ENOENT);
    sc_ret("remove_full_dir_is_enotempty",
           seed_call(SEED_SYS_REMOVE, (long)"sdir", 0, 0), -ENOTEMPTY);
    sc_ret("remove_file",
           seed_call(SEED_SYS_REMOVE, (long)"sdir/moved.txt", 0, 0), 0);
    sc_ret("remove_empty_dir", seed_call(SEED_SYS_REMOVE, (long)"sdir", 0, 0),
           0);
    sc_ret("remove_missing_is_enoent",
           seed_call(SEED_SYS_REMOVE, (long)"sdir", 0, 0), -ENOENT);
}

static void time_calls(void)
{
    long t0 = call0(SEED_SYS_UPTIME);
    sc_ret("yield_returns_zero", call0(SEED_SYS_YIELD), 0);
    sleep_ms(100);
    long t1 = call0(SEED_SYS_UPTIME);
    sc_check("uptime_counts_milliseconds",
             t0 > 0 && t1 - t0 >= 90 && t1 - t0 < 5000,
             "%ld ms then %ld ms across a 100 ms sleep", t0, t1);
}

static void input_calls(void)
{
    sc_ret("scancode_none_pending_is_zero", call0(SEED_SYS_SCANCODE), 0);
    sc_ret("key_none_pending_is_zero", call0(SEED_SYS_KEY), 0);
    sc_ret("mouse_delta_no_motion_is_zero", call0(SEED_SYS_MOUSE_DELTA), 0);
    sc_ret("mouse_buttons_none_held_is_zero", call0(SEED_SYS_MOUSE_BUTTONS), 0);
}

/* A child takes the screen and holds it until told to exit. */
static pid_t screen_holder(int ready_fd, int go_fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        char c = (char)('0' + (call0(SEED_SYS_SCREEN_ENTER) == 0));
        write(ready_fd, &c, 1);
        read(go_fd, &c, 1);
        _exit(0); /* without leaving: exit must release the screen */
    }
    return pid;
}

static void screen_calls(void)
{
    static uint32_t frame[8 * 4];
    for (int i = 0; i < 8 * 4; i++)
        frame[i] = 0x00ff0000u >> (i % 3 * 8);

    sc_ret("leave_without_enter_is_eperm", call0(SEED_SYS_SCREEN_LEAVE),
           -EPERM);
    sc_ret("enter_returns_zero", call0(SEED_SYS_SCREEN_ENTER), 0);
    sc_ret("enter_again_by_holder_is_zero", call0(SEED_SYS_SCREEN_ENTER), 0);
    sc_ret("blit_small_frame",
           seed_call(SEED_SYS_BLIT, (long)frame, 8 | 4l << 32, 0), 0);
    sc_ret("blit_zero_width_is_einval",
           seed_call(SEED_SYS_BLIT, (long)frame, 0 | 4l << 32, 0), -EINVAL);
    sc_ret("blit_zero_height_is_einval",
           seed_call(SEED_SYS_BLIT, (long)frame, 8, 0), -EINVAL);
    sc_ret("blit_absurd_width_is_einval",
           seed_call(SEED_SYS_BLIT, (long)frame, 100000 | 1l << 32, 0),
           -EINVAL);
    sc_ret("leave_returns_zero", call0(SEED_SYS_SCREEN_LEAVE), 0);
    sc_ret("leave_twice_is_eperm", call0(SEED_SYS_SCREEN_LEAVE), -EPERM);

    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0) {
        sc_check("screen_pipes", false, "pipe: %s", strerror(errno));
        return;
    }
    pid_t pid = screen_holder(ready[1], go[0]);
    char c = 0;
    read(ready[0], &c, 1);
    sc_check("child_enters_screen", c == '1', "child reported %c", c);
    sc_ret("enter_while_other_holds_is_ebusy", call0(SEED_SYS_SCREEN_ENTER),
           -EBUSY);
    sc_ret("leave_while_other_holds_is_eperm", call0(SEED_SYS_SCREEN_LEAVE),
           -EPERM);
    write(go[1], "x", 1);
    int st = 0;
    waitpid(pid, &st, 0);
    sc_ret("enter_after_holder_exits", call0(SEED_SYS_SCREEN_ENTER), 0);
    sc_ret("leave_after_holder_exits", call0(SEED_SYS_SCREEN_LEAVE), 0);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
}

static void unknown_calls(void)
{
    sc_ret("number_0_is_enosys", call0(0), -ENOSYS);
    sc_ret("number_23_is_enosys", call0(SEED_SYS_COUNT), -ENOSYS);
    sc_ret("number_huge_is_enosys", call0(0x7fffffffffffffffl), -ENOSYS);
    sc_ret("number_negative_is_enosys", call0(-1), -ENOSYS);
}

static void exit_call(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        seed_call(SEED_SYS_EXIT, 42, 0, 0);
        _exit(99); /* exit returned: the parent sees 99 */
    }
    int st = 0;
    pid_t got = waitpid(pid, &st, 0);
    sc_check("exit_status_reaches_parent",
             got == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
             "waitpid %d, status %#x", (int)got, st);
}

int main(void)
{
    sc_begin();
    console_calls();
    printf("\n"); /* the cursor escape left the line mid-screen */
    whole_file_calls();
    descriptor_calls();
    directory_calls();
    time_calls();
    input_calls();
    screen_calls();
    unknown_calls();
    exit_call();
    int status = sc_done();
    seed_call(SEED_SYS_EXIT, status, 0, 0);
    return 100; /* exit returned */
}
