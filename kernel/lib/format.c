/*
 * Ember's printf formatter: one pass over the format, output through a sink.
 *
 * kvformat() walks the format once. Literal text goes to the sink as one
 * piece; each conversion is parsed into a struct kfmt_spec, its argument is
 * fetched, and the result is emitted as up to five pieces: left padding,
 * sign or "0x", leading zeros, the digits or string, right padding. Digits
 * are built backwards in a small stack buffer, so nothing is allocated and
 * nothing recurses. The rules are C99's, and where C leaves a choice open
 * (%p, "(null)", "(nil)") we copy glibc, so the host tests can compare
 * ksnprintf() with snprintf() on every case instead of on hand-written
 * expectations.
 *
 * Context: any; no locks, no allocation, no FPU.
 * Portable: also built into tests/host/test_format.c.
 * See: docs/boot.md
 */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/portable.h"

/* <limits.h> is not on the portable list; int is 32 bits on every gcc ABI. */
#define KFMT_INT_MAX ((int)(~0u >> 1))

/*
 * Octal needs the most digits: one per 3 bits, so 22 for 64 bits. Three
 * chars per byte of the widest integer always covers that.
 */
#define KFMT_DIGITS_MAX (sizeof(uintmax_t) * 3)

/* Padding is emitted from these in chunks, so a width costs no buffer. */
#define KFMT_PAD_CHUNK 16
static const char kfmt_spaces[KFMT_PAD_CHUNK + 1] = "                ";
static const char kfmt_zeros[KFMT_PAD_CHUNK + 1] = "0000000000000000";

/* Flag characters, as bits in kfmt_spec.flags. */
enum {
    KFMT_LEFT = 1 << 0,  /* '-': pad on the right */
    KFMT_ZERO = 1 << 1,  /* '0': pad numbers with zeros */
    KFMT_PLUS = 1 << 2,  /* '+': always print a sign */
    KFMT_SPACE = 1 << 3, /* ' ': a space where '+' would go */
    KFMT_ALT = 1 << 4,   /* '#': "0x" for hex, a leading 0 for octal */
};

/* Length modifiers: which type va_arg must fetch. */
enum {
    KFMT_LEN_NONE,
    KFMT_LEN_HH,
    KFMT_LEN_H,
    KFMT_LEN_L,
    KFMT_LEN_LL,
    KFMT_LEN_Z,
    KFMT_LEN_T,
    KFMT_LEN_J,
};

/* One parsed conversion, e.g. "%-08.3lx". */
struct kfmt_spec {
    unsigned flags; /* KFMT_LEFT ... */
    int width;      /* minimum field width; 0 if none */
    int prec;       /* precision; -1 if none was given */
    int length;     /* KFMT_LEN_* */
};

/* Where output goes, and how much went there. */
struct kfmt_out {
    kfmt_sink_fn sink;
    void *ctx;
    size_t count;
};

static void emit(struct kfmt_out *o, const char *s, size_t n)
{
    if (n == 0)
        return; /* sinks are promised non-empty pieces */
    o->sink(o->ctx, s, n);
    o->count += n;
}

static void emit_pad(struct kfmt_out *o, const char *chunk, size_t n)
{
    while (n > KFMT_PAD_CHUNK) {
        emit(o, chunk, KFMT_PAD_CHUNK);
        n -= KFMT_PAD_CHUNK;
    }
    emit(o, chunk, n);
}

static unsigned flag_bit(char c)
{
    switch (c) {
    case '-':
        return KFMT_LEFT;
    case '0':
        return KFMT_ZERO;
    case '+':
        return KFMT_PLUS;
    case ' ':
        return KFMT_SPACE;
    case '#':
        return KFMT_ALT;
    default:
        return 0;
    }
}

/* Reads decimal digits, saturating so a silly width cannot overflow. */
static int parse_num(const char **pp)
{
    const char *p = *pp;
    int n = 0;

    while (*p >= '0' && *p <= '9') {
        int d = *p++ - '0';
        n = n > (KFMT_INT_MAX - d) / 10 ? KFMT_INT_MAX : n * 10 + d;
    }
    *pp = p;
    return n;
}

/*
 * Parses flags, width, precision and length, starting just after the '%'.
 * Returns a pointer to the conversion character (which may be the NUL).
 * Takes the va_list by pointer because '*' consumes arguments.
 */
static const char *parse_spec(const char *p, struct kfmt_spec *sp, va_list *ap)
{
    unsigned bit;

    sp->flags = 0;
    sp->width = 0;
    sp->prec = -1;
    sp->length = KFMT_LEN_NONE;

    while ((bit = flag_bit(*p)) != 0) {
        sp->flags |= bit;
        p++;
    }

    if (*p == '*') {
        /* C: a negative '*' width means the '-' flag and its magnitude. */
        int w = va_arg(*ap, int);
        if (w < 0) {
            sp->flags |= KFMT_LEFT;
            w = w < -KFMT_INT_MAX ? KFMT_INT_MAX : -w;
        }
        sp->width = w;
        p++;
    } else {
        sp->width = parse_num(&p);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            /* C: a negative '*' precision is as if none were given. */
            int prec = va_arg(*ap, int);
            sp->prec = prec < 0 ? -1 : prec;
            p++;
        } else {
            sp->prec = parse_num(&p); /* "." alone means 0 */
        }
    }

    switch (*p) {
    case 'h':
        p++;
        sp->length = KFMT_LEN_H;
        if (*p == 'h') {
            p++;
            sp->length = KFMT_LEN_HH;
        }
        break;
    case 'l':
        p++;
        sp->length = KFMT_LEN_L;
        if (*p == 'l') {
            p++;
            sp->length = KFMT_LEN_LL;
        }
        break;
    case 'z':
        p++;
        sp->length = KFMT_LEN_Z;
        break;
    case 't':
        p++;
        sp->length = KFMT_LEN_T;
        break;
    case 'j':
        p++;
        sp->length = KFMT_LEN_J;
        break;
    default:
        break;
    }
    return p;
}

/*
 * %zd wants "the signed type of size_t's width", which C does not name;
 * ptrdiff_t is that type on every ABI Ember builds for.
 */
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t),
               "kprintf: %zd reads a ptrdiff_t");

/* Fetches a signed argument, narrowing it as hh and h require. */
static intmax_t fetch_signed(int length, va_list *ap)
{
    switch (length) {
    case KFMT_LEN_HH:
        return (signed char)va_arg(*ap, int);
    case KFMT_LEN_H:
        return (short)va_arg(*ap, int);
    case KFMT_LEN_L:
        return va_arg(*ap, long);
    case KFMT_LEN_LL:
        return va_arg(*ap, long long);
    case KFMT_LEN_Z:
    case KFMT_LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case KFMT_LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

/* Fetches an unsigned argument, narrowing it as hh and h require. */
static uintmax_t fetch_unsigned(int length, va_list *ap)
{
    switch (length) {
    case KFMT_LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case KFMT_LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case KFMT_LEN_L:
        return va_arg(*ap, unsigned long);
    case KFMT_LEN_LL:
        return va_arg(*ap, unsigned long long);
    case KFMT_LEN_Z:
    case KFMT_LEN_T:
        return va_arg(*ap, size_t);
    case KFMT_LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* Emits body (n chars) inside the field width; used by %s, %c and "(nil)". */
static void emit_field(struct kfmt_out *o, const struct kfmt_spec *sp,
                       const char *body, size_t n)
{
    /* The '0' flag is undefined for strings; glibc pads with spaces. */
    size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

    if (!(sp->flags & KFMT_LEFT))
        emit_pad(o, kfmt_spaces, pad);
    emit(o, body, n);
    if (sp->flags & KFMT_LEFT)
        emit_pad(o, kfmt_spaces, pad);
}

static void emit_string(struct kfmt_out *o, const struct kfmt_spec *sp,
                        const char *s)
{
    if (s == NULL) {
        /* glibc prints "(null)" only if all of it fits the precision. */
        bool fits = sp->prec < 0 || sp->prec >= (int)sizeof("(null)") - 1;
        s = fits ? "(null)" : "";
    }
    /* strnlen, not strlen: with a precision, s need not be terminated. */
    size_t n = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);
    emit_field(o, sp, s, n);
}

/*
 * Emits an integer given as sign and magnitude. The caller clears KFMT_PLUS
 * and KFMT_SPACE for unsigned conversions, as C asks.
 */
static void emit_int(struct kfmt_out *o, const struct kfmt_spec *sp,
                     uintmax_t mag, bool neg, unsigned base, bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[KFMT_DIGITS_MAX];
    char *end = buf + sizeof(buf);
    char *d = end;
    bool nonzero = mag != 0;

    while (mag != 0) {
        *--d = set[mag % base];
        mag /= base;
    }
    /* C: zero with precision 0 prints no digits at all. */
    if (!nonzero && sp->prec != 0)
        *--d = '0';
    size_t ndigits = (size_t)(end - d);

    char prefix[3];
    size_t plen = 0;
    if (neg)
        prefix[plen++] = '-';
    else if (sp->flags & KFMT_PLUS)
        prefix[plen++] = '+';
    else if (sp->flags & KFMT_SPACE)
        prefix[plen++] = ' ';
    if ((sp->flags & KFMT_ALT) && base == 16 && nonzero) {
        prefix[plen++] = '0';
        prefix[plen++] = upper ? 'X' : 'x';
    }

    size_t prec = sp->prec < 0 ? 0 : (size_t)sp->prec;
    size_t zeros = prec > ndigits ? prec - ndigits : 0;
    /* C: '#' with octal raises the precision until the first digit is 0. */
    if ((sp->flags & KFMT_ALT) && base == 8 && zeros == 0 &&
        (ndigits == 0 || d[0] != '0'))
        zeros = 1;

    size_t width = (size_t)sp->width;
    size_t body = plen + zeros + ndigits;
    /* C: '0' pads after the sign, and is ignored with '-' or a precision. */
    if ((sp->flags & KFMT_ZERO) && !(sp->flags & KFMT_LEFT) && sp->prec < 0 &&
        width > body) {
        zeros += width - body;
        body = width;
    }
    size_t pad = width > body ? width - body : 0;

    if (!(sp->flags & KFMT_LEFT))
        emit_pad(o, kfmt_spaces, pad);
    emit(o, prefix, plen);
    emit_pad(o, kfmt_zeros, zeros);
    emit(o, d, ndigits);
    if (sp->flags & KFMT_LEFT)
        emit_pad(o, kfmt_spaces, pad);
}

/*
 * Emits one conversion. start points at its '%' and conv at its conversion
 * character, so an unknown one can be printed exactly as written.
 */
static void convert(struct kfmt_out *o, struct kfmt_spec *sp, const char *start,
                    const char *conv, va_list *ap)
{
    switch (*conv) {
    case '%':
        emit(o, "%", 1);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        emit_field(o, sp, &c, 1);
        break;
    }
    case 's':
        emit_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'd':
    case 'i': {
        intmax_t v = fetch_signed(sp->length, ap);
        /* 0 - (uintmax_t)v is the magnitude even for INTMAX_MIN. */
        uintmax_t mag = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
        emit_int(o, sp, mag, v < 0, 10, false);
        break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        unsigned base = *conv == 'u' ? 10 : *conv == 'o' ? 8 : 16;
        sp->flags &= ~(unsigned)(KFMT_PLUS | KFMT_SPACE);
        emit_int(o, sp, fetch_unsigned(sp->length, ap), false, base,
                 *conv == 'X');
        break;
    }
    case 'p': {
        /*
         * glibc prints a pointer as %#lx, keeping '+' and ' ', and NULL
         * as "(nil)" in the field width.
         */
        const void *ptr = va_arg(*ap, const void *);
        if (ptr == NULL) {
            emit_field(o, sp, "(nil)", sizeof("(nil)") - 1);
            break;
        }
        sp->flags |= KFMT_ALT;
        emit_int(o, sp, (uintptr_t)ptr, false, 16, false);
        break;
    }
    default:
        /* Unknown: show it as written, and consume no argument for it. */
        emit(o, start, (size_t)(conv - start) + 1);
        break;
    }
}

int kvformat(kfmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    struct kfmt_out o = {.sink = sink, .ctx = ctx, .count = 0};
    const char *p = fmt;
    va_list args;

    /*
     * Work on a copy: helpers take it by pointer, and a va_list parameter
     * is an array type on x86_64, so &ap would have the wrong type.
     */
    va_copy(args, ap);
    while (*p != '\0') {
        const char *lit = p;
        while (*p != '\0' && *p != '%')
            p++;
        emit(&o, lit, (size_t)(p - lit));
        if (*p == '\0')
            break;

        struct kfmt_spec spec;
        const char *start = p;
        p = parse_spec(p + 1, &spec, &args);
        if (*p == '\0') {
            /* The format ended inside a conversion: print what there was. */
            emit(&o, start, (size_t)(p - start));
            break;
        }
        convert(&o, &spec, start, p, &args);
        p++;
    }
    va_end(args);
    return o.count > (size_t)KFMT_INT_MAX ? KFMT_INT_MAX : (int)o.count;
}

/* The buffer sink behind kvsnprintf(): keeps what fits, counts the rest. */
struct kfmt_buf {
    char *buf;
    size_t size; /* bytes in buf, including room for the NUL */
    size_t used; /* bytes stored so far; at most size - 1 */
};

static void buf_sink(void *ctx, const char *s, size_t n)
{
    struct kfmt_buf *b = ctx;

    if (b->used + 1 >= b->size)
        return; /* full (or size 0): keep counting, store nothing */
    size_t room = b->size - 1 - b->used;
    size_t k = n < room ? n : room;
    memcpy(b->buf + b->used, s, k);
    b->used += k;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct kfmt_buf b = {.buf = buf, .size = size, .used = 0};
    int n = kvformat(buf_sink, &b, fmt, ap);

    if (size > 0)
        buf[b.used] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
