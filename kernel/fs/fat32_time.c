/*
 * FAT dates and times: 16 bits each, in local time, with 2-second steps.
 *
 * date: bits 15-9 year since 1980, 8-5 month (1-12), 4-0 day (1-31).
 * time: bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2.
 * The current time comes from the mount's `now` callback (the RTC in the
 * kernel, a fixed time in tests); times outside FAT's 1980..2107 range are
 * clamped to its ends rather than wrapped.
 *
 * Locking: none; pure functions, and the callback is the kernel's concern.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#define FAT_EPOCH_YEAR        1980
#define FAT_LAST_YEAR         2107
#define FAT_DATE_YEAR_SHIFT   9
#define FAT_DATE_MONTH_SHIFT  5
#define FAT_TIME_HOUR_SHIFT   11
#define FAT_TIME_MIN_SHIFT    5
#define FAT_FIELD_MASK5       0x1F
#define FAT_FIELD_MASK4       0x0F
#define FAT_FIELD_MASK6       0x3F
#define FAT_FIELD_MASK7       0x7F
#define SECONDS_PER_DAY       86400
#define SECONDS_PER_HOUR      3600
#define SECONDS_PER_MINUTE    60
#define MONTH_MAX             12
#define DAY_MAX               31
#define HOUR_MAX              23
#define MINUTE_MAX            59
#define SECOND_MAX            59
#define FAT_SECONDS_STEP      2
#define DAYS_1970_TO_0000_MAR 719468 /* civil-from-days shift (H. Hinnant) */

static uint8_t clamp(uint8_t v, uint8_t lo, uint8_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void fat_time_stamp(struct fat_volume *vol, struct fat_dirent_raw *de,
                    bool create)
{
    struct fat_clock_time t = {.year = FAT_EPOCH_YEAR, .month = 1, .day = 1};
    if (vol->opts.now != NULL)
        vol->opts.now(vol->opts.now_ctx, &t);
    uint16_t year = t.year < FAT_EPOCH_YEAR  ? FAT_EPOCH_YEAR
                    : t.year > FAT_LAST_YEAR ? FAT_LAST_YEAR
                                             : t.year;
    uint16_t date =
        (uint16_t)((year - FAT_EPOCH_YEAR) << FAT_DATE_YEAR_SHIFT |
                   clamp(t.month, 1, MONTH_MAX) << FAT_DATE_MONTH_SHIFT |
                   clamp(t.day, 1, DAY_MAX));
    uint16_t time =
        (uint16_t)(clamp(t.hour, 0, HOUR_MAX) << FAT_TIME_HOUR_SHIFT |
                   clamp(t.minute, 0, MINUTE_MAX) << FAT_TIME_MIN_SHIFT |
                   clamp(t.second, 0, SECOND_MAX) / FAT_SECONDS_STEP);
    de->wrt_date = date;
    de->wrt_time = time;
    de->acc_date = date;
    if (create) {
        de->crt_date = date;
        de->crt_time = time;
        de->crt_time_tenth = 0;
    }
}

void fat_time_decode(uint16_t date, uint16_t time, struct fat_clock_time *out)
{
    out->year = (uint16_t)(FAT_EPOCH_YEAR +
                           (date >> FAT_DATE_YEAR_SHIFT & FAT_FIELD_MASK7));
    out->month = date >> FAT_DATE_MONTH_SHIFT & FAT_FIELD_MASK4;
    out->day = date & FAT_FIELD_MASK5;
    out->hour = time >> FAT_TIME_HOUR_SHIFT & FAT_FIELD_MASK5;
    out->minute = time >> FAT_TIME_MIN_SHIFT & FAT_FIELD_MASK6;
    out->second = (uint8_t)((time & FAT_FIELD_MASK5) * FAT_SECONDS_STEP);
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date: Howard Hinnant's
 * days_from_civil, whose constants are the 400-year era (146,097 days) and
 * a year counted from March, so that February's length comes last.
 */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - DAYS_1970_TO_0000_MAR;
}

int64_t fat_clock_to_unix(const struct fat_clock_time *t)
{
    /* A zero date field (month or day 0) is read as the 1st. */
    unsigned month = t->month ? t->month : 1;
    unsigned day = t->day ? t->day : 1;
    return days_from_civil(t->year, month, day) * SECONDS_PER_DAY +
           t->hour * SECONDS_PER_HOUR + t->minute * SECONDS_PER_MINUTE +
           t->second;
}
