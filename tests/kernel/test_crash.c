/*
 * Deliberate kernel faults, for the exception-report tests.
 *
 * Manual tests: they run only when named (`ktest=crash_page_fault`), since
 * each ends the machine. Known values are loaded into registers first, so
 * tests/system/test_boot.py can check the report field by field.
 *
 * See: tests/system/test_boot.py
 */
#include "ktest.h"

/* A write to an unmapped page: #PF, error code 2 (not present, write). */
KTEST_MANUAL(crash_page_fault)
{
    __asm__ volatile("movabs $0xdeadb000, %%rax\n\t"
                     "movabs $0x1122334455667788, %%r12\n\t"
                     "movq $1, (%%rax)"
                     :
                     :
                     : "rax", "r12", "memory");
}

/* An integer division by zero: #DE. */
KTEST_MANUAL(crash_divide)
{
    __asm__ volatile("movabs $0xabcdef0123456789, %%r13\n\t"
                     "xorl %%edx, %%edx\n\t"
                     "movl $0x1234, %%eax\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     "divl %%ecx"
                     :
                     :
                     : "rax", "rcx", "rdx", "r13");
}
