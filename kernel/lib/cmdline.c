/*
 * Kernel options parsed from the command line, on demand.
 *
 * The line is short and read a handful of times at boot, so each query just
 * scans it: no table, nothing to keep in sync.
 *
 * Portable: also built into tests/host/test_cmdline.c.
 * See: docs/boot.md
 */
#include "lib/cmdline.h"

#include "lib/portable.h"

static char cmdline[CMDLINE_MAX];
static bool cut; /* the last cmdline_init() dropped bytes that did not fit */

static void append(size_t *len, const char *s)
{
    while (s && *s && *len + 1 < sizeof cmdline)
        cmdline[(*len)++] = *s++;
    if (s && *s)
        cut = true;
    cmdline[*len] = '\0';
}

void cmdline_init(const char *boot_line, const char *extra)
{
    size_t len = 0;
    cmdline[0] = '\0';
    cut = false;
    append(&len, boot_line);
    if (extra && *extra) {
        if (len > 0)
            append(&len, " ");
        append(&len, extra);
    }
}

const char *cmdline_full(void)
{
    return cmdline;
}

bool cmdline_cut(void)
{
    return cut;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Finds the last word that is `key` or starts with `key=`; returns a pointer
 * to the word and its length through *wlen, or NULL.
 */
static const char *find_word(const char *key, size_t *wlen)
{
    size_t klen = strlen(key);
    const char *found = NULL;
    const char *p = cmdline;

    while (*p) {
        while (is_space(*p))
            p++;
        const char *w = p;
        while (*p && !is_space(*p))
            p++;
        size_t n = (size_t)(p - w);
        if (n >= klen && strncmp(w, key, klen) == 0 &&
            (n == klen || w[klen] == '=')) {
            found = w;
            *wlen = n;
        }
    }
    return found;
}

bool cmdline_has(const char *flag)
{
    size_t n;
    return find_word(flag, &n) != NULL;
}

bool cmdline_get(const char *key, char *out, size_t cap)
{
    size_t n;
    size_t klen = strlen(key);
    const char *w = find_word(key, &n);

    if (!w)
        return false;
    if (cap == 0)
        return true;
    size_t vlen = n > klen ? n - klen - 1 : 0;
    if (vlen > cap - 1)
        vlen = cap - 1;
    memcpy(out, w + klen + (n > klen ? 1 : 0), vlen);
    out[vlen] = '\0';
    return true;
}
