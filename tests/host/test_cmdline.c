/*
 * Host tests of kernel options (kernel/lib/cmdline.c): words, values, the
 * fw_cfg part appended, the last word winning, truncation.
 *
 * See: tests/host/README.md
 */
#include "check.h"

#include "lib/cmdline.h"

TEST(cmdline_joins_boot_line_and_extra)
{
    cmdline_init("quiet loglevel=1", "harness ktest=all");
    CHECK(strcmp(cmdline_full(), "quiet loglevel=1 harness ktest=all") == 0);
    cmdline_init(NULL, "harness");
    CHECK(strcmp(cmdline_full(), "harness") == 0);
    cmdline_init("a", NULL);
    CHECK(strcmp(cmdline_full(), "a") == 0);
    cmdline_init("", "");
    CHECK(strcmp(cmdline_full(), "") == 0);
}

TEST(cmdline_flags_match_whole_words)
{
    cmdline_init("harness ktest=all holdx", NULL);
    CHECK(cmdline_has("harness"));
    CHECK(cmdline_has("ktest"));
    CHECK(!cmdline_has("hold"));
    CHECK(!cmdline_has("kte"));
    CHECK(!cmdline_has("all"));
}

TEST(cmdline_values_last_word_wins)
{
    char v[16];
    cmdline_init("ktest=one loglevel=2", "ktest=two,three");
    CHECK(cmdline_get("ktest", v, sizeof v));
    CHECK(strcmp(v, "two,three") == 0);
    CHECK(cmdline_get("loglevel", v, sizeof v));
    CHECK(strcmp(v, "2") == 0);
    CHECK(!cmdline_get("nothing", v, sizeof v));
}

TEST(cmdline_value_of_bare_flag_is_empty)
{
    char v[8] = "xxx";
    cmdline_init("bench", NULL);
    CHECK(cmdline_get("bench", v, sizeof v));
    CHECK(v[0] == '\0');
}

TEST(cmdline_values_are_truncated_to_the_buffer)
{
    char v[4];
    cmdline_init("name=abcdefgh", NULL);
    CHECK(cmdline_get("name", v, sizeof v));
    CHECK(strcmp(v, "abc") == 0);
}

TEST(cmdline_overlong_lines_are_cut_not_overrun)
{
    char big[2 * CMDLINE_MAX];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cmdline_init(big, big);
    CHECK(strlen(cmdline_full()) == CMDLINE_MAX - 1);
    CHECK(cmdline_cut());
    big[CMDLINE_MAX - 1] = '\0'; /* exactly CMDLINE_MAX - 1 bytes: fits */
    cmdline_init(big, NULL);
    CHECK(strlen(cmdline_full()) == CMDLINE_MAX - 1 && !cmdline_cut());
    cmdline_init("a", "b");
    CHECK(!cmdline_cut());
}

TEST(cmdline_tabs_and_newlines_separate_words)
{
    cmdline_init("a=1\tb=2\nc", NULL);
    char v[4];
    CHECK(cmdline_get("b", v, sizeof v) && strcmp(v, "2") == 0);
    CHECK(cmdline_has("c"));
}

int main(void)
{
    RUN(cmdline_joins_boot_line_and_extra);
    RUN(cmdline_flags_match_whole_words);
    RUN(cmdline_values_last_word_wins);
    RUN(cmdline_value_of_bare_flag_is_empty);
    RUN(cmdline_values_are_truncated_to_the_buffer);
    RUN(cmdline_overlong_lines_are_cut_not_overrun);
    RUN(cmdline_tabs_and_newlines_separate_words);
    return check_summary();
}
