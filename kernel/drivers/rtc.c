/*
 * MC146818 CMOS clock driver: read the date and time, turn them into Unix
 * time.
 *
 * The clock's registers sit behind an index port (0x70) and a data port
 * (0x71). Once a second the chip spends about 2 ms updating them, and a read
 * in that window can mix two seconds (23:59:59 becoming 00:00:00 gives
 * 00:59:59 if the hour is read early). Status register A's bit 7 (update in
 * progress) warns 244 us before an update starts, so the reader waits for
 * it to clear, reads every register, and repeats until two reads in a row
 * agree. Status register B says how the firmware set the chip up: bit 2 is
 * binary (else BCD), bit 1 is 24-hour (else 12-hour, with bit 7 of the hour
 * meaning PM). The century comes from register 0x32, which ACPI names and
 * QEMU provides; if it is not a plausible BCD century, 20 is assumed.
 *
 * QEMU runs the clock in UTC by default (-rtc base=utc), which is what Unix
 * time needs; a PC that keeps local time in its clock would need a zone.
 *
 * Locking: none; the index/data pair must not be interleaved, and only
 * task context reads the clock (no RTC interrupt is used).
 * Context: task or boot.
 * See: docs/interrupts.md
 */
#include "drivers/rtc.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "lib/log.h"

#include <ember/errno.h>
#include <stdbool.h>

#define NS_PER_S        1000000000ull
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define RTC_SECONDS     0x00
#define RTC_MINUTES     0x02
#define RTC_HOURS       0x04
#define RTC_DAY         0x07
#define RTC_MONTH       0x08
#define RTC_YEAR        0x09
#define RTC_STATUS_A    0x0a
#define RTC_STATUS_B    0x0b
#define RTC_CENTURY     0x32 /* ACPI FADT's default century register */
#define RTC_A_UIP       0x80 /* update in progress */
#define RTC_B_24H       0x02
#define RTC_B_BINARY    0x04
#define RTC_HOUR_PM     0x80 /* 12-hour mode */
#define RTC_TRIES       8    /* reads before giving up on agreement */
#define RTC_UIP_WAIT_MS 10   /* the update lasts about 2 ms */
#define DEFAULT_CENTURY 20
#define SECS_PER_DAY    86400u

struct raw_time {
    uint8_t sec, min, hour, day, month, year, century, status_b;
};

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static bool wait_not_updating(void)
{
    uint64_t deadline = rdtsc() + tsc_hz() / 1000 * RTC_UIP_WAIT_MS;

    while (cmos_read(RTC_STATUS_A) & RTC_A_UIP) {
        if (rdtsc() > deadline)
            return false;
    }
    return true;
}

static bool read_raw(struct raw_time *r)
{
    if (!wait_not_updating())
        return false;
    r->sec = cmos_read(RTC_SECONDS);
    r->min = cmos_read(RTC_MINUTES);
    r->hour = cmos_read(RTC_HOURS);
    r->day = cmos_read(RTC_DAY);
    r->month = cmos_read(RTC_MONTH);
    r->year = cmos_read(RTC_YEAR);
    r->century = cmos_read(RTC_CENTURY);
    r->status_b = cmos_read(RTC_STATUS_B);
    return true;
}

static bool same(const struct raw_time *a, const struct raw_time *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
           a->day == b->day && a->month == b->month && a->year == b->year &&
           a->century == b->century && a->status_b == b->status_b;
}

static uint8_t from_bcd(uint8_t v)
{
    return (uint8_t)((v >> 4) * 10 + (v & 0x0f));
}

static void decode(const struct raw_time *r, struct rtc_time *t)
{
    bool binary = r->status_b & RTC_B_BINARY;
    bool pm = !(r->status_b & RTC_B_24H) && (r->hour & RTC_HOUR_PM);
    uint8_t hour = r->hour & (uint8_t)~RTC_HOUR_PM;
    uint8_t century = binary ? r->century : from_bcd(r->century);

    t->second = binary ? r->sec : from_bcd(r->sec);
    t->minute = binary ? r->min : from_bcd(r->min);
    t->hour = binary ? hour : from_bcd(hour);
    t->day = binary ? r->day : from_bcd(r->day);
    t->month = binary ? r->month : from_bcd(r->month);
    uint8_t year = binary ? r->year : from_bcd(r->year);
    if (century < 19 || century > 21) /* no century register here */
        century = DEFAULT_CENTURY;
    t->year = (uint16_t)(century * 100 + year);
    if (!(r->status_b & RTC_B_24H)) {
        /* 12-hour: 12 AM is 0:xx, 12 PM is 12:xx. */
        if (t->hour == 12)
            t->hour = 0;
        if (pm)
            t->hour = (uint8_t)(t->hour + 12);
    }
}

int rtc_read(struct rtc_time *out)
{
    struct raw_time a, b;

    if (!read_raw(&a))
        goto stuck;
    for (int i = 0; i < RTC_TRIES; i++) {
        if (!read_raw(&b))
            goto stuck;
        if (same(&a, &b)) {
            decode(&b, out);
            return 0;
        }
        a = b;
    }
    klog(LOG_ERR, "rtc: no two reads agreed in %d tries", RTC_TRIES);
    return -EIO;
stuck:
    klog(LOG_ERR, "rtc: update-in-progress did not clear in %d ms",
         RTC_UIP_WAIT_MS);
    return -EIO;
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. The
 * year is counted from March so that February, with its leap day, comes
 * last; then each month's first day is (153 * m + 2) / 5 days in (Howard
 * Hinnant's days_from_civil, restricted to years after 1970).
 */
static uint64_t days_from_civil(uint32_t y, uint32_t m, uint32_t d)
{
    y -= m <= 2;
    uint32_t era = y / 400;
    uint32_t yoe = y - era * 400; /* 0..399 */
    uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
    return (uint64_t)era * 146097 + doe - 719468; /* 719468: 0000-03-01 */
}

uint64_t rtc_to_unix(const struct rtc_time *t)
{
    uint64_t days = days_from_civil(t->year, t->month, t->day);
    return days * SECS_PER_DAY + t->hour * 3600u + t->minute * 60u + t->second;
}

int rtc_unix_time(uint64_t *out)
{
    struct rtc_time t;
    int err = rtc_read(&t);

    if (err < 0)
        return err;
    *out = rtc_to_unix(&t);
    return 0;
}

/*
 * The time of day: the RTC is read once, and from then on the TSC carries
 * the time (the RTC counts whole seconds only). wall.offset_ns is Unix time
 * minus the uptime; it is set at rtc_init(), or at the first read if the
 * RTC could not be read then. Written once, then read-only.
 */
static struct {
    uint64_t offset_ns;
    bool set;
} wall;

static void set_wall_clock(const struct rtc_time *t)
{
    wall.offset_ns = rtc_to_unix(t) * NS_PER_S - tsc_ns_since_entry();
    wall.set = true;
}

void rtc_init(void)
{
    struct rtc_time t;

    if (rtc_read(&t) < 0)
        return;
    set_wall_clock(&t);
    klog(LOG_INFO, "rtc: %04u-%02u-%02u %02u:%02u:%02u UTC", t.year, t.month,
         t.day, t.hour, t.minute, t.second);
}

uint64_t rtc_realtime_ns(void)
{
    struct rtc_time t;

    if (!wall.set && rtc_read(&t) == 0)
        set_wall_clock(&t);
    return wall.offset_ns + tsc_ns_since_entry();
}
