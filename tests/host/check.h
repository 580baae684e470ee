/*
 * A tiny test framework for the host unit tests: no library, one header.
 *
 * A test is a function declared with TEST(name). main() runs each one with
 * RUN(name), and ends with `return check_summary();`. Every failed CHECK prints
 * file:line and the expression, and marks the current test failed. Each test
 * prints one line, "PASS: name" or "FAIL: name", which tests/run_all.py counts;
 * check_summary() prints "N passed, N failed" for the binary alone.
 *
 * Portable: host only (uses the C library's stdio).
 * See: tests/host/README.md
 */
#pragma once

#include <stdio.h>
#include <string.h>

static int check_passed;
static int check_failed;
static int check_cur_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            check_cur_failed = 1;                                              \
        }                                                                      \
    } while (0)

/* CHECK_EQ for integers: prints both values when they differ. */
#define CHECK_EQ(a, b)                                                         \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ != check_b_) {                                            \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n",  \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);           \
            check_cur_failed = 1;                                              \
        }                                                                      \
    } while (0)

#define RUN(name)                                                              \
    do {                                                                       \
        check_cur_failed = 0;                                                  \
        name();                                                                \
        if (check_cur_failed) {                                                \
            check_failed++;                                                    \
            printf("FAIL: %s\n", #name);                                       \
        } else {                                                               \
            check_passed++;                                                    \
            printf("PASS: %s\n", #name);                                       \
        }                                                                      \
        fflush(stdout);                                                        \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}
