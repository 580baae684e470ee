/*
 * The only instructions that touch user memory: copies that can fault.
 *
 * uc_copy(dst, src, n) and uc_copy_str(dst, src, cap) are plain copy loops.
 * If one of them faults on a user address the page-fault handler first
 * tries to resolve the fault as it would for the program itself (zero-fill,
 * copy-on-write, stack growth: kernel/mm/uvm.c); if that fails, it resumes
 * the copy at uc_fault, which returns -EFAULT to the caller. The handler
 * knows a fault is one of these by its RIP lying between uc_begin and
 * uc_end. The range checks against USER_TOP are done before, in C
 * (kernel/mm/user_copy.c).
 *
 * See: docs/usermode.md
 */
#define EFAULT       14
#define ENAMETOOLONG 36

    .section .text
    .code64
    .globl uc_begin, uc_end, uc_fault, uc_copy, uc_copy_str

uc_begin:
/* long uc_copy(void *dst, const void *src, size_t n): 0 or -EFAULT */
uc_copy:
    movq %rdx, %rcx
    shrq $3, %rcx               /* eight bytes at a time, then the rest */
    rep movsq
    movq %rdx, %rcx
    andq $7, %rcx
    rep movsb
    xorl %eax, %eax
    ret

/*
 * long uc_copy_str(char *dst, const char *src, size_t cap): the length
 * (NUL not counted), -ENAMETOOLONG if no NUL in the first cap bytes, or
 * -EFAULT. cap >= 1.
 */
uc_copy_str:
    xorl %eax, %eax
1:  cmpq %rdx, %rax
    jae 2f
    movb (%rsi, %rax), %cl
    movb %cl, (%rdi, %rax)
    testb %cl, %cl
    jz 3f
    incq %rax
    jmp 1b
2:  movq $-ENAMETOOLONG, %rax
    movb $0, -1(%rdi, %rdx)
3:  ret

/* Where a failed copy resumes: the stack is as the copy found it. */
uc_fault:
    movq $-EFAULT, %rax
    ret
uc_end:
