/*
 * The first code that runs: the Multiboot2 header and the 32-to-64-bit entry.
 *
 * GRUB loads the kernel at 1 MiB and jumps to _start in 32-bit protected
 * mode with paging off, EAX = the Multiboot2 magic and EBX = the physical
 * address of the boot information. We are linked at KERNEL_VMA + 1 MiB, so
 * until paging is on every address is written PHYS(symbol).
 *
 * _start checks that the CPU can run 64-bit code (and says so on COM1 if it
 * cannot, since nothing else could tell the user), builds throw-away page
 * tables that map the first 4 GiB three times - identity (for the instant
 * paging turns on), at HHDM_BASE (the direct map), and at KERNEL_VMA (the
 * kernel's own address) - with 2 MiB pages, turns on PAE, long mode, NX and
 * write protection, and jumps to kmain() in the higher half. kmain builds the
 * real GDT and, later, the real page tables (kernel/mm/vmm.c).
 *
 * See: docs/boot.md
 */

#define KERNEL_VMA      0xffffffff80000000
#define PHYS(x)         ((x) - KERNEL_VMA)

#define MB2_HEADER_MAGIC 0xe85250d6  /* Multiboot2 spec, 3.1.1 */
#define MB2_BOOT_MAGIC   0x36d76289  /* what GRUB leaves in EAX */
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_ENTRY    3
#define MB2_TAG_FB       5
#define MB2_TAG_OPTIONAL 1

#define COM1             0x3f8
#define PTE_P            0x001
#define PTE_W            0x002
#define PTE_PS           0x080       /* 2 MiB page in a page directory */
#define CR0_PG           (1 << 31)
#define CR0_WP           (1 << 16)
#define CR4_PAE          (1 << 5)
#define MSR_EFER         0xc0000080
#define EFER_LME         (1 << 8)
#define EFER_NXE         (1 << 11)
#define CPUID_EXT_LM     (1 << 29)   /* CPUID 0x80000001 EDX: long mode */
#define CPUID_EXT_NX     (1 << 20)   /* CPUID 0x80000001 EDX: no-execute */

/* ---- Multiboot2 header: must lie in the first 32 KiB of the file ---- */
    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

    /* Entry address: the ELF entry is a higher-half address GRUB can't use. */
    .balign 8
    .word MB2_TAG_ENTRY, 0
    .long 12
    .long PHYS(_start)

    /* Ask for a linear 32-bpp framebuffer; optional, so GRUB boots anyway. */
    .balign 8
    .word MB2_TAG_FB, MB2_TAG_OPTIONAL
    .long 20
    .long 1024, 768, 32

    .balign 8
    .word MB2_TAG_END, 0
    .long 8
mb2_header_end:

/* ---- 32-bit entry ---- */
    .section .text.boot, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    mov $PHYS(boot_stack_top), %esp
    mov %eax, %edi                  /* magic, kept for kmain */
    mov %ebx, %esi                  /* boot info, kept for kmain */

    /* Entry time, for the "kernel entry to banner" figure. */
    rdtsc
    mov %eax, PHYS(boot_entry_tsc)
    mov %edx, PHYS(boot_entry_tsc) + 4

    call serial32_init
    cmp $MB2_BOOT_MAGIC, %edi
    jne .Lno_multiboot

    /* Long mode needs CPUID leaf 0x80000001 and its LM bit. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb .Lno_long_mode
    mov $0x80000001, %eax
    cpuid
    test $CPUID_EXT_LM, %edx
    jz .Lno_long_mode
    mov %edx, %ebp                  /* remember the NX bit */

    push %edi
    push %esi
    call build_boot_tables          /* uses EDI */
    pop %esi
    pop %edi

    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $PHYS(boot_pml4), %eax
    mov %eax, %cr3

    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    test $CPUID_EXT_NX, %ebp
    jz 1f
    or $EFER_NXE, %eax
1:  wrmsr

    mov %cr0, %eax
    or $(CR0_PG | CR0_WP), %eax
    mov %eax, %cr0

    lgdt PHYS(boot_gdtr)
    ljmp $0x08, $PHYS(long_mode_entry)

.Lno_multiboot:
    mov $PHYS(msg_no_mb2), %ebx
    jmp .Lfatal32
.Lno_long_mode:
    mov $PHYS(msg_no_lm), %ebx
.Lfatal32:
    call serial32_puts
1:  hlt
    jmp 1b

/*
 * Page tables for the jump: one page directory set (4 x 512 x 2 MiB = 4 GiB)
 * shared by the identity map (PML4[0]), the direct map (PML4[256], HHDM_BASE)
 * and the kernel's -2 GiB window (PML4[511], PDPT[510..511] -> first 2 GiB).
 */
build_boot_tables:
    mov $PHYS(boot_pd), %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax                   /* low 32 bits of i * 2 MiB */
    or $(PTE_P | PTE_W | PTE_PS), %eax
    mov %ecx, %edx
    shr $11, %edx                   /* high bits: i * 2 MiB >> 32 */
    mov %eax, (%edi, %ecx, 8)
    mov %edx, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jb 1b

    mov $PHYS(boot_pdpt_low), %edi
    mov $PHYS(boot_pd), %eax
    or $(PTE_P | PTE_W), %eax
    xor %ecx, %ecx
2:  mov %eax, (%edi, %ecx, 8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jb 2b

    mov $PHYS(boot_pdpt_high), %edi
    mov $PHYS(boot_pd), %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 510*8(%edi)
    add $4096, %eax
    mov %eax, 511*8(%edi)

    mov $PHYS(boot_pml4), %edi
    mov $PHYS(boot_pdpt_low), %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 0*8(%edi)
    mov %eax, 256*8(%edi)
    mov $PHYS(boot_pdpt_high), %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 511*8(%edi)
    ret

/* COM1 at 115200 8N1, enough to say why we cannot boot. */
serial32_init:
    mov $(COM1 + 1), %dx            /* IER: no interrupts */
    xor %al, %al
    out %al, %dx
    mov $(COM1 + 3), %dx            /* LCR: DLAB on */
    mov $0x80, %al
    out %al, %dx
    mov $(COM1 + 0), %dx            /* divisor 1 = 115200 baud */
    mov $1, %al
    out %al, %dx
    mov $(COM1 + 1), %dx
    xor %al, %al
    out %al, %dx
    mov $(COM1 + 3), %dx            /* 8N1, DLAB off */
    mov $0x03, %al
    out %al, %dx
    ret

/* Prints the NUL-terminated string at EBX (a physical address). */
serial32_puts:
1:  movb (%ebx), %al
    test %al, %al
    jz 3f
    mov %al, %ah
    mov $(COM1 + 5), %dx
2:  in %dx, %al                     /* LSR bit 5: transmit holding empty */
    test $0x20, %al
    jz 2b
    mov $COM1, %dx
    mov %ah, %al
    out %al, %dx
    inc %ebx
    jmp 1b
3:  ret

/* ---- 64-bit, still at the physical address ---- */
    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $higher_half_entry, %rax
    jmp *%rax

higher_half_entry:
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp                  /* ends the backtrace chain */
    mov %edi, %edi                  /* magic, zero-extended */
    mov %esi, %esi                  /* info physical address */
    call kmain
1:  cli
    hlt
    jmp 1b

    .section .rodata
msg_no_mb2:
    .asciz "ember: not started by a Multiboot2 loader; cannot boot\r\n"
msg_no_lm:
    .asciz "ember: this CPU has no 64-bit long mode; Ember needs an x86_64 CPU\r\n"

    .balign 8
boot_gdt:
    .quad 0                         /* null */
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff        /* 0x10: data, DPL 0 */
boot_gdt_end:
boot_gdtr:
    .word boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

    .section .data
    .balign 8
    .globl boot_entry_tsc
boot_entry_tsc:
    .quad 0

    .section .bss
    .balign 4096
    .globl boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4 * 4096
    /*
     * The boot stack, with a guard page below it that the real page tables
     * leave unmapped (kernel/mm/vmm.c), so running off its end faults.
     */
    .globl boot_stack_guard
boot_stack_guard:
    .skip 4096
    .globl boot_stack_bottom
boot_stack_bottom:
    .skip 16384
    .globl boot_stack_top
boot_stack_top:
