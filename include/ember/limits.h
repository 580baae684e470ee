/*
 * The bounds of a user address space, shared by the kernel and user
 * programs.
 *
 * USER_TOP is the one constant that bounds the user half: ELF segments, the
 * entry point, brk, mmap (MAP_FIXED included) and every user copy are
 * checked against it. It stops one page short of the canonical hole at
 * 2^47, so no user mapping can reach a non-canonical address, and a
 * `syscall` instruction in the last user page cannot hand SYSRET a
 * non-canonical return address. USER_BOTTOM keeps the first 64 KiB unmapped
 * so that NULL (and small offsets from it) always faults.
 *
 * Portable: yes.
 * See: docs/usermode.md
 */
#pragma once

#define USER_TOP    0x00007ffffffff000ull
#define USER_BOTTOM 0x0000000000010000ull
