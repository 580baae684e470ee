/*
 * History: the lines typed, in memory and in /.sh_history on the disk.
 *
 * The file is $HISTFILE when that is set (as in bash), else /.sh_history.
 * Every line the interactive shell runs is added at the end (not a blank
 * one, nor the same line twice in a row) and appended to the file at once,
 * so a reboot or a killed shell loses nothing. At start the file's last
 * HISTORY_MAX lines are read back. A command that took several lines
 * ("if ...", then "then ...") is kept as one line: each newline becomes
 * "; ", or a space where a ';' would be a syntax error (after then, do,
 * else, |, && and ||), so the recalled line can be edited and run again.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HISTORY_FILE "/.sh_history" /* Ember has no home folders */
#define HISTORY_MAX  500

static struct {
    char *lines[HISTORY_MAX];
    int count;
} hist;

static const char *file(void)
{
    const char *f = var_get("HISTFILE");
    return f && *f ? f : HISTORY_FILE;
}

static void remember(char *line)
{
    if (hist.count == HISTORY_MAX) {
        free(hist.lines[0]);
        memmove(hist.lines, hist.lines + 1,
                sizeof hist.lines[0] * (HISTORY_MAX - 1));
        hist.count--;
    }
    hist.lines[hist.count++] = line;
}

static bool ends_with_word(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(s + len - n, w, n) == 0 &&
           (len == n || s[len - n - 1] == ' ' || s[len - n - 1] == ';');
}

/* The text as one line (see the comment at the top). */
static char *one_line(const char *text)
{
    static const char *const no_semi[] = {"then", "do", "else", "|", "&&",
                                          "||",   ";",  "&",    NULL};
    char *out = malloc(2 * strlen(text) + 1);
    size_t len = 0;
    for (const char *s = text; *s; s++) {
        if (*s != '\n') {
            out[len++] = *s;
            continue;
        }
        while (len > 0 && out[len - 1] == ' ')
            len--;
        bool semi = len > 0;
        for (int i = 0; semi && no_semi[i]; i++)
            semi = !ends_with_word(out, len, no_semi[i]);
        if (semi)
            out[len++] = ';';
        out[len++] = ' ';
    }
    out[len] = '\0';
    return out;
}

void history_load(void)
{
    FILE *f = fopen(file(), "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (line[0])
            remember(strdup(line));
    }
    free(line);
    fclose(f);
}

void history_add(const char *text)
{
    char *line = one_line(text);
    if (hist.count > 0 && strcmp(hist.lines[hist.count - 1], line) == 0) {
        free(line);
        return;
    }
    remember(line);
    int fd = open(file(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return; /* a read-only disk: history stays in memory */
    dprintf(fd, "%s\n", line);
    close(fd);
}

int history_count(void)
{
    return hist.count;
}

const char *history_get(int i)
{
    return i >= 0 && i < hist.count ? hist.lines[i] : NULL;
}

int history_print(void)
{
    for (int i = 0; i < hist.count; i++)
        printf("%5d  %s\n", i + 1, hist.lines[i]);
    return 0;
}
