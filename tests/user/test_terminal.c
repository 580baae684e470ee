/*
 * Differential test: the terminal calls, on a terminal of 128x48.
 *
 * Runs with descriptors 0-2 on a terminal: Ember's console, or on Linux a
 * pseudo-terminal of the same size made by tests/user/run_host.py, which
 * also plays the keyboard. The program writes "READY <step>" on the terminal
 * when it wants input; the runner answers each step with fixed bytes:
 *   canon  "abx" DEL "c" CR   canonical mode: erase and CR -> NL give "abc\n"
 *   eof    ctrl-D             canonical mode: end of file, read returns 0
 *   raw    ESC "[A" CR        raw mode: the bytes as sent, CR left alone
 * Results go to the file named by argv[1], as in every differential test.
 * Checked: Linux's default flags, TIOCGWINSZ, raw mode through tcsetattr and
 * back, the foreground group, tcflush and tcdrain.
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ucheck.h"

#define NO_SUCH_PID 0x3ffffff0

static void ready(const char *step)
{
    char line[64];
    snprintf(line, sizeof line, "READY %s\r\n", step);
    write(1, line, strlen(line));
}

/* Reads until n bytes or EOF; returns the count. */
static ssize_t read_n(char *b, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, b + got, n - got);
        if (r <= 0)
            return got ? (ssize_t)got : r;
        got += (size_t)r;
        if (b[got - 1] == '\n')
            break;
    }
    return (ssize_t)got;
}

static void hex_case(const char *name, const char *b, ssize_t n)
{
    char line[128] = "";
    for (ssize_t i = 0; i < n && i < 32; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%02x ",
                 (unsigned char)b[i]);
    uc_val(name, "%zd [%s]", n, line);
}

static void defaults(struct termios *t)
{
    uc_val("isatty 0 1 2", "%d %d %d", isatty(0), isatty(1), isatty(2));
    struct winsize ws;
    uc_ret("TIOCGWINSZ", ioctl(0, TIOCGWINSZ, &ws));
    uc_val("rows cols", "%d %d", ws.ws_row, ws.ws_col);
    uc_ret("tcgetattr", tcgetattr(0, t));
    uc_val("iflag ICRNL IXON", "%d %d", !!(t->c_iflag & ICRNL),
           !!(t->c_iflag & IXON));
    uc_val("oflag OPOST ONLCR", "%d %d", !!(t->c_oflag & OPOST),
           !!(t->c_oflag & ONLCR));
    uc_val("lflag ISIG ICANON ECHO ECHOE", "%d %d %d %d", !!(t->c_lflag & ISIG),
           !!(t->c_lflag & ICANON), !!(t->c_lflag & ECHO),
           !!(t->c_lflag & ECHOE));
    uc_val("VERASE VINTR VEOF VKILL", "%#x %#x %#x %#x", t->c_cc[VERASE],
           t->c_cc[VINTR], t->c_cc[VEOF], t->c_cc[VKILL]);
    uc_val("CS8 CREAD", "%d %d", (t->c_cflag & CSIZE) == CS8,
           !!(t->c_cflag & CREAD));
    uc_val("foreground is my group", "%d", tcgetpgrp(0) == getpgrp());
    uc_val("session of terminal", "%d", tcgetsid(0) == getsid(0));
    uc_ret("tcsetpgrp own group", tcsetpgrp(0, getpgrp()));
    uc_ret("tcsetpgrp no such group", tcsetpgrp(0, NO_SUCH_PID));
}

static void canonical(void)
{
    char b[64];
    ready("canon");
    ssize_t n = read_n(b, sizeof b);
    hex_case("canonical line", b, n);
    ready("eof");
    uc_ret("ctrl-D at line start", read(0, b, sizeof b));
}

static void raw(const struct termios *orig)
{
    struct termios t = *orig;
    char b[16];
    cfmakeraw(&t);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    uc_ret("tcsetattr raw", tcsetattr(0, TCSANOW, &t));
    struct termios back;
    tcgetattr(0, &back);
    uc_val("raw lflag ICANON ECHO ISIG", "%d %d %d", !!(back.c_lflag & ICANON),
           !!(back.c_lflag & ECHO), !!(back.c_lflag & ISIG));
    uc_val("raw iflag ICRNL IXON oflag OPOST", "%d %d %d",
           !!(back.c_iflag & ICRNL), !!(back.c_iflag & IXON),
           !!(back.c_oflag & OPOST));
    uc_val("raw VMIN VTIME", "%d %d", back.c_cc[VMIN], back.c_cc[VTIME]);
    ready("raw");
    size_t got = 0;
    while (got < 4) {
        ssize_t r = read(0, b + got, 4 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    hex_case("raw bytes", b, (ssize_t)got);
    uc_ret("tcsetattr TCSAFLUSH restore", tcsetattr(0, TCSAFLUSH, orig));
    tcgetattr(0, &back);
    uc_val("restored ICANON ECHO", "%d %d", !!(back.c_lflag & ICANON),
           !!(back.c_lflag & ECHO));
    uc_ret("tcsetattr TCSADRAIN", tcsetattr(0, TCSADRAIN, orig));
    uc_ret("tcflush input", tcflush(0, TCIFLUSH));
    uc_ret("tcflush bad queue", tcflush(0, 99));
    uc_ret("tcdrain", tcdrain(1));
}

int main(int argc, char **argv)
{
    struct termios orig;
    uc_open(argc, argv);
    defaults(&orig);
    canonical();
    raw(&orig);
    int null = open("/dev/null", O_RDWR);
    struct termios t;
    uc_ret("tcgetattr /dev/null", tcgetattr(null, &t));
    close(null);
    ready("done");
    return uc_close();
}
