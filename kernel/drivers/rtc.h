/*
 * The CMOS real-time clock: the wall-clock date and time, in UTC.
 *
 * Context: task or boot; each read takes a few microseconds, or up to about
 * 2 ms when it meets the clock's once-a-second update.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdint.h>

struct rtc_time {
    uint16_t year;  /* e.g. 2026 */
    uint8_t month;  /* 1-12 */
    uint8_t day;    /* 1-31 */
    uint8_t hour;   /* 0-23 */
    uint8_t minute; /* 0-59 */
    uint8_t second; /* 0-59 */
};

/*
 * Reads the date and time into *out, whatever mode (BCD or binary, 12 or 24
 * hour) the firmware left the clock in. Returns 0, or -EIO if the clock
 * stayed mid-update or gave no stable reading (logged).
 */
int rtc_read(struct rtc_time *out);

/* Seconds since 1970-01-01 00:00:00 UTC for *t (years 1970-2099). */
uint64_t rtc_to_unix(const struct rtc_time *t);

/* Reads the clock and returns Unix time through *out: 0 or -EIO. */
int rtc_unix_time(uint64_t *out);

/*
 * Reads the clock once for the time of day and logs it ("rtc: 2026-11-24
 * 06:10:16 UTC"). Boot, after the TSC is calibrated.
 */
void rtc_init(void);

/*
 * Nanoseconds since the Unix epoch: the RTC's reading at boot carried on
 * by the TSC, so it follows real time between whole seconds and does not
 * drift with lost interrupts. Any context.
 */
uint64_t rtc_realtime_ns(void);
