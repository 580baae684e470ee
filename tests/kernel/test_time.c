/*
 * Self-tests of the wall clock, and `ktest=time_echo`, the mode the timer's
 * system test (tests/system/test_time.py) drives.
 *
 * Context: the boot task, interrupts on.
 * See: docs/interrupts.md
 */
#include "ktest.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "drivers/input.h"
#include "drivers/rtc.h"
#include "drivers/timer.h"
#include "lib/kprintf.h"

#define UNIX_2024 1704067200u /* 2024-01-01 00:00:00 UTC */
#define ECHO_END  0x04        /* ctrl-D ends the echo mode */

/* Known dates, from Python's calendar.timegm(). */
KTEST(time_unix_conversion)
{
    struct rtc_time epoch = {1970, 1, 1, 0, 0, 0};
    struct rtc_time y2k_march = {2000, 3, 1, 0, 0, 0};
    struct rtc_time leap_day = {2024, 2, 29, 12, 34, 56};
    struct rtc_time y2038 = {2038, 1, 19, 3, 14, 8};
    struct rtc_time end_2099 = {2100, 12, 31, 23, 59, 59};
    struct rtc_time end_1999 = {1999, 12, 31, 23, 59, 59};

    KTEST_CHECK(rtc_to_unix(&epoch) == 0);
    KTEST_CHECK(rtc_to_unix(&y2k_march) == 951868800u);
    KTEST_CHECK(rtc_to_unix(&leap_day) == 1709210096u);
    KTEST_CHECK(rtc_to_unix(&y2038) == 2147483648u);
    KTEST_CHECK(rtc_to_unix(&end_2099) == 4133980799u);
    KTEST_CHECK(rtc_to_unix(&end_1999) == 946684799u);
}

/* The clock reads a plausible date, and Unix time agrees with it. */
KTEST(time_rtc_sane)
{
    struct rtc_time t;
    uint64_t unix_s = 0;

    KTEST_CHECK(rtc_read(&t) == 0);
    KTEST_CHECK(t.year >= 2024 && t.year < 2100);
    KTEST_CHECK(t.month >= 1 && t.month <= 12);
    KTEST_CHECK(t.day >= 1 && t.day <= 31);
    KTEST_CHECK(t.hour < 24 && t.minute < 60 && t.second < 60);
    KTEST_CHECK(rtc_unix_time(&unix_s) == 0);
    KTEST_CHECK(unix_s >= UNIX_2024);
    /* The two reads are at most a couple of seconds apart. */
    KTEST_CHECK(unix_s - rtc_to_unix(&t) <= 2);
}

static void print_time(void)
{
    struct rtc_time t = {0};
    uint64_t unix_s = 0;

    rtc_read(&t);
    rtc_unix_time(&unix_s);
    kprintf("time: uptime_ms=%lu ticks=%lu lost=%lu unix=%lu "
            "date=%04u-%02u-%02u clock=%02u:%02u:%02u real_ms=%lu\n",
            (unsigned long)timer_uptime_ms(), (unsigned long)timer_ticks(),
            (unsigned long)timer_lost_ticks(), (unsigned long)unix_s, t.year,
            t.month, t.day, t.hour, t.minute, t.second,
            (unsigned long)(rtc_realtime_ns() / 1000000));
}

/*
 * For each byte received on the console input, prints one `time:` line
 * (uptime, tick counts, Unix time, date); ctrl-D (0x04) ends the test.
 */
KTEST_MANUAL(time_echo)
{
    kprintf("time: ready\n");
    for (;;) {
        cli();
        int c = input_read_char();
        if (c < 0) {
            irq_wait();
            continue;
        }
        sti();
        print_time();
        if (c == ECHO_END)
            return;
    }
}
