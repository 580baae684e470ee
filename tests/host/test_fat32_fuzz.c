/*
 * Host test: the FAT32 fuzzer runs for 10 seconds without a finding.
 *
 * `make test` builds build/tests/fuzz/fuzz_fat32 and its seeds (see
 * tests/tests.mk) and this test runs it from the seeds into a fresh scratch
 * corpus, with a fixed libFuzzer seed so runs are comparable, and -timeout
 * so an input that makes mount or lookup spin counts as a failure. Any
 * crash, sanitizer report or timeout fails the test and prints the end of
 * the fuzzer's log; libFuzzer leaves the offending input in the scratch
 * folder to replay with `build/tests/fuzz/fuzz_fat32 <file>`.
 *
 * Portable: host only; runs a libFuzzer binary built by clang.
 * See: docs/storage.md
 */
#include <libgen.h>
#include <limits.h>
#include "check.h"
#include "fat_host.h"

#define FUZZ_SECONDS 10

static char fuzz_dir[PATH_MAX + 16];

/* The fuzzer finishes its run and reports no crash, leak or timeout. */
TEST(fat_fuzzer_finds_nothing_in_10_seconds)
{
    const char *corpus = host_path("corpus");
    const char *log = host_path("fuzz.log");
    mkdir(corpus, 0755);
    int st = host_sh("cd '%s' && '%s/fuzz_fat32' -max_total_time=%d "
                     "-max_len=1048576 -timeout=10 -seed=1 "
                     "-artifact_prefix='%s/' '%s' '%s/seeds' >'%s' 2>&1",
                     host_scratch, fuzz_dir, FUZZ_SECONDS, host_scratch, corpus,
                     fuzz_dir, log);
    char *runs = host_sh_out("grep -o 'Done [0-9]* runs' '%s'", log);
    printf("    %s", runs[0] ? runs : "no run count\n");
    free(runs);
    if (st != 0) {
        host_sh("tail -40 '%s' >&2", log);
        check_cur_failed = 1;
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX];
    if (realpath(argv[0], self) == NULL)
        snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/../fuzz", dirname(self));
    host_init("fuzz");
    RUN(fat_fuzzer_finds_nothing_in_10_seconds);
    return host_finish(check_summary());
}
