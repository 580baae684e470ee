/*
 * Host tests for kprintf's formatter: ksnprintf() must match snprintf().
 *
 * Rather than hand-write expected strings, every case is formatted twice,
 * once by the host C library and once by kvsnprintf(), and the two results
 * and return values must be identical. The cases are generated in loops:
 * each conversion and length modifier, with every combination of flags,
 * widths 0..12 and precisions none/0..10, over edge values and values from a
 * fixed-seed xorshift generator, so a failure reproduces exactly. Separate
 * tests cover truncation (no byte written past the buffer, checked with a
 * canary) and the sink interface. Where C leaves the output undefined ('#'
 * with %d, NULL with a precision) the cases stay out of it, except where
 * format.c promises to copy glibc.
 *
 * Portable: host only; links kernel/lib/format.c and portable_host.c.
 * See: tests/host/README.md
 */
#include "lib/format.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/xorshift.h"

#define FMT_CAP     64  /* longest generated format */
#define OUT_CAP     512 /* longest expected output, with room to spare */
#define MAX_REPORTS 20  /* mismatches printed in full before going quiet */

/* Cases compared with the C library, reported on stderr at the end. */
static long cases_compared;
static int reports;

/* xorshift64 (Marsaglia 2003) with a fixed seed: same cases every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
    return xorshift64(&rng_state);
}

/*
 * Formats with both libraries and says whether they agree, byte for byte
 * up to the returned length (so a %c of NUL is compared too).
 */
static bool compare(const char *fmt, ...)
{
    char want[OUT_CAP], got[OUT_CAP];
    va_list ap, ap2;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    int want_n = vsnprintf(want, sizeof(want), fmt, ap);
    int got_n = kvsnprintf(got, sizeof(got), fmt, ap2);
    va_end(ap2);
    va_end(ap);
    cases_compared++;

    bool same = want_n == got_n && want_n >= 0 && want_n < OUT_CAP &&
                memcmp(want, got, (size_t)want_n + 1) == 0;
    if (!same && reports++ < MAX_REPORTS)
        fprintf(stderr, "format \"%s\": libc [%s] (%d), kprintf [%s] (%d)\n",
                fmt, want, want_n, got, got_n);
    return same;
}

/* Builds "%<flags><width>.<prec><len><conv>"; width 0 and prec -1 omit. */
static void build_fmt(char *out, const char *flags, int width, int prec,
                      const char *len, char conv)
{
    char w[16] = "", p[16] = "";

    if (width > 0)
        snprintf(w, sizeof(w), "%d", width);
    if (prec >= 0)
        snprintf(p, sizeof(p), ".%d", prec);
    snprintf(out, FMT_CAP, "%%%s%s%s%s%c", flags, w, p, len, conv);
}

/* Every subset of the flag characters in set, as strings, in subsets[]. */
static int flag_subsets(const char *set, char subsets[][8])
{
    int n = (int)strlen(set);

    for (int mask = 0; mask < (1 << n); mask++) {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (mask & (1 << i))
                subsets[mask][k++] = set[i];
        subsets[mask][k] = '\0';
    }
    return 1 << n;
}

/* The flags C defines for each integer conversion ('#' only for o, x, X). */
static const char *int_flags(char conv)
{
    return (conv == 'o' || conv == 'x' || conv == 'X') ? "-0+ #" : "-0+ ";
}

static bool is_signed_conv(char conv)
{
    return conv == 'd' || conv == 'i';
}

/*
 * Compares one integer case, passing bits as the type that len and conv
 * make va_arg read; hh and h take an int, narrowed by the formatter.
 */
static bool compare_int(const char *fmt, const char *len, char conv,
                        uint64_t bits)
{
    bool s = is_signed_conv(conv);

    if (strcmp(len, "l") == 0)
        return s ? compare(fmt, (long)bits) : compare(fmt, (unsigned long)bits);
    if (strcmp(len, "ll") == 0)
        return s ? compare(fmt, (long long)bits)
                 : compare(fmt, (unsigned long long)bits);
    if (strcmp(len, "z") == 0)
        return s ? compare(fmt, (ptrdiff_t)bits) : compare(fmt, (size_t)bits);
    if (strcmp(len, "t") == 0)
        return s ? compare(fmt, (ptrdiff_t)bits) : compare(fmt, (size_t)bits);
    if (strcmp(len, "j") == 0)
        return s ? compare(fmt, (intmax_t)bits) : compare(fmt, (uintmax_t)bits);
    return s ? compare(fmt, (int)bits) : compare(fmt, (unsigned)bits);
}

static const char int_convs[] = "diuxXo";

/* Proves the plain int conversions agree on every flag/width/precision. */
TEST(int_conversions_match_libc)
{
    const int64_t values[] = {0,   1,       -1,      42,       -42,
                              255, INT_MIN, INT_MAX, 0x7f3a9c1};
    char subsets[32][8];
    char fmt[FMT_CAP];
    int failures = 0;

    for (const char *c = int_convs; *c != '\0'; c++) {
        int nflags = flag_subsets(int_flags(*c), subsets);
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
            for (int f = 0; f < nflags; f++)
                for (int w = 0; w <= 12; w++)
                    for (int p = -1; p <= 10; p++) {
                        build_fmt(fmt, subsets[f], w, p, "", *c);
                        failures +=
                            !compare_int(fmt, "", *c, (uint64_t)values[v]);
                    }
    }
    CHECK_EQ(failures, 0);
}

/* Proves each length modifier fetches and narrows its argument as C does. */
TEST(length_modifiers_match_libc)
{
    static const char *const lens[] = {"hh", "h", "", "l", "ll", "z", "t", "j"};
    /* Edges of each width, as bits; compare_int() casts to the real type. */
    const uint64_t values[] = {
        /* 8 and 16 bits */
        0, 1, 127, 128, 255, 256, 300, 32767, 32768, 65535, 70000,
        /* 32 and 64 bits; ULLONG_MAX is -1, 1 << 63 is LLONG_MIN */
        INT_MAX, UINT_MAX, LLONG_MAX, ULLONG_MAX, 1ull << 63,
        0x123456789abcdef0ull, (uint64_t)INT_MIN};
    const int widths[] = {0, 1, 7, 12, 25};
    const int precs[] = {-1, 0, 1, 5, 10, 25};
    char subsets[32][8];
    char fmt[FMT_CAP];
    int failures = 0;

    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
        for (const char *c = int_convs; *c != '\0'; c++) {
            int nflags = flag_subsets(int_flags(*c), subsets);
            for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
                for (int f = 0; f < nflags; f += 3)
                    for (size_t w = 0; w < sizeof(widths) / sizeof(int); w++)
                        for (size_t p = 0; p < sizeof(precs) / sizeof(int);
                             p++) {
                            build_fmt(fmt, subsets[f], widths[w], precs[p],
                                      lens[l], *c);
                            failures +=
                                !compare_int(fmt, lens[l], *c, values[v]);
                        }
        }
    CHECK_EQ(failures, 0);
}

/* Proves 64-bit values agree when everything about the case is random. */
TEST(random_u64_values_match_libc)
{
    char subsets[32][8];
    char fmt[FMT_CAP];
    int failures = 0;

    for (int i = 0; i < 5000; i++) {
        char conv = int_convs[rng_next() % (sizeof(int_convs) - 1)];
        int nflags = flag_subsets(int_flags(conv), subsets);
        int flags = (int)(rng_next() % (uint64_t)nflags);
        int width = (int)(rng_next() % 30);
        int prec = (int)(rng_next() % 30) - 5; /* some cases have none */
        uint64_t bits = rng_next() >> (rng_next() % 64);

        build_fmt(fmt, subsets[flags], width, prec < 0 ? -1 : prec, "ll", conv);
        failures += !compare_int(fmt, "ll", conv, bits);
    }
    CHECK_EQ(failures, 0);
}

/* Proves %s honours width and precision, and %c width, including NUL. */
TEST(strings_and_chars_match_libc)
{
    static const char *const strs[] = {"", "a", "hello", "hello, world",
                                       "tab\tand\nnewline"};
    const int chars[] = {'a', '%', ' ', '\0', 0xff};
    const char *const flag_sets[] = {"", "-", "0", "-0"};
    char fmt[FMT_CAP];
    int failures = 0;

    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
        for (int w = 0; w <= 12; w++) {
            for (int p = -1; p <= 10; p++) {
                build_fmt(fmt, flag_sets[f], w, p, "", 's');
                for (size_t s = 0; s < sizeof(strs) / sizeof(strs[0]); s++)
                    failures += !compare(fmt, strs[s]);
            }
            build_fmt(fmt, flag_sets[f], w, -1, "", 'c');
            for (size_t c = 0; c < sizeof(chars) / sizeof(chars[0]); c++)
                failures += !compare(fmt, chars[c]);
        }
    /* glibc's "(null)" only for a NULL with no precision or a wide one. */
    failures += !compare("[%s|%10s|%-10s|%.6s]", (char *)NULL, (char *)NULL,
                         (char *)NULL, (char *)NULL);
    /* With a precision, %s must not read past it: no NUL needed. */
    char unterminated[3] = {'a', 'b', 'c'};
    failures += !compare("[%.3s|%.2s]", unterminated, unterminated);
    CHECK_EQ(failures, 0);
}

/* Proves %p prints glibc's "0x..." and "(nil)", with its flags and width. */
TEST(pointers_match_libc)
{
    int local;
    const void *ptrs[] = {
        NULL,   (void *)1,           (void *)0x1234,
        &local, (void *)UINTPTR_MAX, (void *)(uintptr_t)rng_next()};
    char subsets[32][8];
    char fmt[FMT_CAP];
    int failures = 0;
    int nflags = flag_subsets("-0+ ", subsets);

    for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
        for (int f = 0; f < nflags; f++)
            for (int w = 0; w <= 24; w += 3)
                for (int p = -1; p <= 20; p += 7) {
                    build_fmt(fmt, subsets[f], w, p, "", 'p');
                    failures += !compare(fmt, ptrs[i]);
                }
    CHECK_EQ(failures, 0);
}

/* Proves '*' reads width and precision, negative values included. */
TEST(star_width_and_precision_match_libc)
{
    const int stars[] = {-12, -5, -1, 0, 1, 3, 7, 12};
    const int values[] = {0, 5, -5, 123456, INT_MIN};
    int failures = 0;

    for (size_t a = 0; a < sizeof(stars) / sizeof(stars[0]); a++) {
        for (size_t b = 0; b < sizeof(stars) / sizeof(stars[0]); b++)
            for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
                failures += !compare("[%*.*d]", stars[a], stars[b], values[v]);
                failures += !compare("[%0*.*x]", stars[a], stars[b],
                                     (unsigned)values[v]);
            }
        failures += !compare("[%*d|%-*d]", stars[a], 42, stars[a], 42);
        failures += !compare("[%.*s]", stars[a], "hello, world");
        failures += !compare("[%*s]", stars[a], "hi");
        failures += !compare("[%0*d]", stars[a], -7);
    }
    CHECK_EQ(failures, 0);
}

/* Proves literal text, %% and unknown conversions come out as written. */
TEST(percent_and_unknown_conversions_match_libc)
{
    int failures = 0;

    failures += !compare("");
    failures += !compare("plain text, no conversions");
    failures += !compare("100%% sure, %d%%", 99);
    failures += !compare("%d %i %u %x %X %o %c %s %p %%", -3, 4, 5u, 0xabu,
                         0xabu, 8u, 'z', "str", (void *)0x10);
    failures +=
        !compare("%hhd %hd %ld %lld %zu %td %jd", 200, 40000, -1234567890123l,
                 LLONG_MIN, (size_t)-1, (ptrdiff_t)-9, (intmax_t)INT64_MAX);
    failures += !compare("[%300d]", 1); /* padding longer than one chunk */
    failures += !compare("[%-300.290x]", 0xfeedu);
    CHECK_EQ(failures, 0);

    /*
     * Unknown conversions are undefined in C, and ASan's printf interceptor
     * warns about them (and about "%5%"), so these are checked against the
     * strings glibc 2.36 prints. An unknown conversion takes no argument.
     */
    char buf[32];
    const char *unknown = "[%k][%5k][%-5k][%y]a%kb%dc[%5%]";
    CHECK_EQ(ksnprintf(buf, sizeof(buf), unknown, 7), 28);
    CHECK(strcmp(buf, "[%k][%5k][%-5k][%y]a%kb7c[%]") == 0);

    /* glibc fails a format that ends mid-conversion; kprintf prints it. */
    const char *dangling = "ab%-5";
    CHECK_EQ(ksnprintf(buf, sizeof(buf), dangling, 0), 5);
    CHECK(strcmp(buf, "ab%-5") == 0);
}

/* Formats for the truncation and sink tests, each with its arguments. */
static int format_sample(char *buf, size_t size, int which)
{
    switch (which) {
    case 0:
        return ksnprintf(buf, size, "hello");
    case 1:
        return ksnprintf(buf, size, "[%-8s|%8.3s]", "left", "right");
    case 2:
        return ksnprintf(buf, size, "%#llx %+d %05u", ULLONG_MAX, INT_MIN, 42u);
    case 3:
        return ksnprintf(buf, size, "%p %p %c%c", (void *)0xdeadbeef,
                         (void *)NULL, 'o', 'k');
    default:
        return ksnprintf(buf, size, "%40d|", -1);
    }
}

#define SAMPLES 5
#define GUARD   16
#define CANARY  0xa5

/* Proves kvsnprintf never writes past size, terminates, and counts all. */
TEST(truncation_stays_in_bounds)
{
    char full[OUT_CAP];

    for (int which = 0; which < SAMPLES; which++) {
        int n = format_sample(full, sizeof(full), which);
        CHECK(n > 0 && n < OUT_CAP);
        CHECK_EQ(strlen(full), n);
        CHECK_EQ(format_sample(NULL, 0, which), n);

        for (size_t size = 0; size <= (size_t)n + 2; size++) {
            /* Exactly size bytes plus a guard, so ASan also sees overruns. */
            unsigned char *buf = malloc(size + GUARD);
            memset(buf, CANARY, size + GUARD);
            CHECK_EQ(format_sample((char *)buf, size, which), n);

            bool guard_ok = true;
            for (size_t i = size; i < size + GUARD; i++)
                guard_ok = guard_ok && buf[i] == CANARY;
            CHECK(guard_ok);
            if (size > 0) {
                size_t kept = size - 1 < (size_t)n ? size - 1 : (size_t)n;
                CHECK_EQ(buf[kept], '\0');
                CHECK(memcmp(buf, full, kept) == 0);
            }
            free(buf);
        }
    }
}

/* A sink that gathers pieces, to see what kvformat hands out. */
struct collector {
    char text[OUT_CAP];
    size_t len;
    int pieces;
    int empty_pieces;
};

static void collect(void *ctx, const char *s, size_t n)
{
    struct collector *c = ctx;

    c->pieces++;
    if (n == 0)
        c->empty_pieces++;
    if (c->len + n < sizeof(c->text)) {
        memcpy(c->text + c->len, s, n);
        c->len += n;
    }
}

static int collect_format(struct collector *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int collect_format(struct collector *c, const char *fmt, ...)
{
    va_list ap;

    memset(c, 0, sizeof(*c));
    va_start(ap, fmt);
    int n = kvformat(collect, c, fmt, ap);
    va_end(ap);
    return n;
}

/* Proves kvformat's pieces add up to snprintf's output and none is empty. */
TEST(kvformat_sink_gets_all_pieces)
{
    struct collector c;
    char want[OUT_CAP];

    int n = collect_format(&c, "a%sb%5dc%-4xd%%%p", "mid", 42, 0xbeu,
                           (void *)0x1000);
    int want_n = snprintf(want, sizeof(want), "a%sb%5dc%-4xd%%%p", "mid", 42,
                          0xbeu, (void *)0x1000);
    CHECK_EQ(n, want_n);
    CHECK_EQ(c.len, want_n);
    CHECK(memcmp(c.text, want, c.len) == 0);
    CHECK(c.pieces > 1);
    CHECK_EQ(c.empty_pieces, 0);

    /* A wide field arrives in chunks, not through one big buffer. */
    n = collect_format(&c, "%200s|%-200d|", "x", 0);
    want_n = snprintf(want, sizeof(want), "%200s|%-200d|", "x", 0);
    CHECK_EQ(n, want_n);
    CHECK_EQ(c.len, want_n);
    CHECK(memcmp(c.text, want, c.len) == 0);
    CHECK_EQ(c.empty_pieces, 0);

    /* An empty format produces nothing, not an empty piece. */
    CHECK_EQ(collect_format(&c, "%s", ""), 0);
    CHECK_EQ(c.pieces, 0);
}

int main(void)
{
    RUN(int_conversions_match_libc);
    RUN(length_modifiers_match_libc);
    RUN(random_u64_values_match_libc);
    RUN(strings_and_chars_match_libc);
    RUN(pointers_match_libc);
    RUN(star_width_and_precision_match_libc);
    RUN(percent_and_unknown_conversions_match_libc);
    RUN(truncation_stays_in_bounds);
    RUN(kvformat_sink_gets_all_pieces);
    fprintf(stderr, "test_format: %ld cases compared with snprintf\n",
            cases_compared);
    return check_summary();
}
