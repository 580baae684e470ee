/*
 * The seed of the malformed ELF corpus: the smallest useful musl program.
 *
 * gen_malformed.py breaks copies of its stripped static and static-PIE
 * builds one field at a time; the unbroken builds go on the disk too, as
 * /tests/elf/tiny and /tests/elf/tiny-pie, and tests/user/hostile_elf.c
 * runs them as its controls: they must run and exit with TINY_STATUS, so
 * a refusal of the broken ones means the breakage, not the loader.
 *
 * See: tests/user/malformed_elf/README.md
 */
#include <unistd.h>

#define TINY_STATUS 23

int main(void)
{
    static const char msg[] = "tiny: ran\n";
    write(1, msg, sizeof msg - 1);
    return TINY_STATUS;
}
