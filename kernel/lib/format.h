/*
 * Ember's printf formatter: turns a format string and arguments into text.
 *
 * The formatter only produces characters; where they go is up to a sink
 * function that receives them in pieces (a serial port, the console, a
 * buffer). kvsnprintf() is the buffer sink, and it behaves like C99
 * snprintf(), so the host tests can compare the two byte for byte.
 *
 * Supported: %d %i %u %o %x %X %p %s %c %%, the length modifiers hh h l ll z
 * t j, the flags - 0 + space #, and field width and precision, both also as
 * '*'. There is no floating point: the kernel never touches the FPU. An
 * unknown conversion is printed as it was written, so a typo shows up in the
 * output instead of eating an argument silently.
 *
 * Context: any, including IRQ handlers; it takes no locks and never
 * allocates. kvformat() needs about 300 bytes of stack (gcc -fstack-usage,
 * -O2) plus the sink's own. The sink must be as safe as its caller.
 * Portable: also built into tests/host/test_format.c.
 * See: docs/boot.md
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * A sink receives formatted output in pieces. Pieces are never empty, and
 * they are not NUL-terminated: use exactly n bytes of s.
 */
typedef void (*kfmt_sink_fn)(void *ctx, const char *s, size_t n);

/*
 * Formats to a sink; returns the number of characters produced. The count
 * saturates at INT_MAX if the output is absurdly long. Leaves ap untouched:
 * it works on a copy.
 */
int kvformat(kfmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/*
 * Never writes past buf[size-1]; always NUL-terminates when size > 0;
 * returns the length it wanted (like C99 snprintf), so a return value of
 * size or more means the output was truncated. buf may be NULL if size is 0.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* kvsnprintf() with the arguments given directly. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
