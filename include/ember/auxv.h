/*
 * The auxiliary vector's keys that execve puts above envp on the new stack.
 *
 * Shared by the kernel (execve builds the vector) and user programs (musl's
 * startup reads AT_PHDR, AT_PHNUM, AT_PAGESZ, AT_RANDOM, AT_EXECFN...). The
 * values are the System V ABI's, as Linux's <linux/auxvec.h> has them. Each
 * entry is a pair of 64-bit words, key then value, ended by AT_NULL.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define AT_NULL     0
#define AT_IGNORE   1
#define AT_EXECFD   2
#define AT_PHDR     3 /* user address of the program headers */
#define AT_PHENT    4 /* size of one program header (56) */
#define AT_PHNUM    5 /* number of program headers */
#define AT_PAGESZ   6 /* 4096 */
#define AT_BASE     7 /* interpreter base: 0, Ember runs no interpreter */
#define AT_FLAGS    8
#define AT_ENTRY    9 /* the program's entry point */
#define AT_NOTELF   10
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17 /* 100, what musl's sysconf(_SC_CLK_TCK) says too */
#define AT_SECURE   23
#define AT_RANDOM   25 /* address of 16 random bytes (stack protector) */
#define AT_HWCAP2   26
#define AT_EXECFN   31 /* address of the path given to execve */

struct auxv_entry {
    uint64_t key;
    uint64_t value;
};
_Static_assert(sizeof(struct auxv_entry) == 16, "auxv entry");
