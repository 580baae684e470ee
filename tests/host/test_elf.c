/*
 * Host tests for the ELF64 validator: real musl programs and broken ones.
 *
 * The good files are real: the test writes a small C program to a scratch
 * directory and builds it twice, with Debian's `musl-gcc -static` (ET_EXEC)
 * and with the static-PIE recipe of user/user.mk (gcc -nostdlib -static-pie
 * with musl's rcrt1.o), then runs both to prove they are real programs. Their
 * plans are compared with what the headers say. The bad files are all made
 * here from the good ones: one named corpus (truncations, each header field
 * broken, segments overlapping, in the kernel half, W+X, an added PT_INTERP
 * ...) that must each get -ENOEXEC, then a seeded random-mutation loop whose
 * every result must be -ENOEXEC or a plan that keeps every promise elf.h
 * makes. Each file is parsed from a malloc'd copy of exactly its size, so
 * AddressSanitizer reports any read past the end. tests/user/malformed_elf/
 * writes the same corpus as files for the in-QEMU execve test.
 *
 * It runs past 800 lines because the corpus is one list of cases, each a
 * few lines, and reads best in one place next to the builder it uses.
 *
 * Portable: host only; links kernel/proc/elf.c with
 * tests/host/portable_host.c. Needs musl-gcc (tools/deps.sh installs it).
 * See: docs/syscalls.md
 */
#include "proc/elf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <ember/errno.h>
#include "check.h"
#include "lib/xorshift.h"

/* Where Debian's musl-dev keeps its startup files and libc.a. */
#define MUSL_LIB "/usr/lib/x86_64-linux-musl"
#define MUSL_INC "/usr/include/x86_64-linux-musl"

#define MUTATIONS     20000
#define MUTATION_SEED 0x5eed0e1full
#define EXIT_CODE     3 /* what the test program returns */
#define FILE_CAP      (4u << 20)

struct file {
    uint8_t *data;
    size_t len;
};

static struct file exe; /* musl-gcc -static */
static struct file pie; /* static-PIE */
static char scratch[] = "/tmp/ember-test-elf-XXXXXX";
static int refused; /* corpus files refused, for the summary line */

static const char hello_c[] = "#include <stdio.h>\n"
                              "static char bss[70000];\n"
                              "int main(int argc, char **argv)\n"
                              "{\n"
                              "    bss[argc] = 1;\n"
                              "    printf(\"%s %d\\n\", argv[0], bss[1]);\n"
                              "    return 3;\n"
                              "}\n";

/* ---- building and reading the real files -------------------------------- */

static int run(const char *cmd)
{
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) {
        fprintf(stderr, "test_elf: `%s` failed\n", cmd);
        return -1;
    }
    return WEXITSTATUS(st);
}

static int read_file(const char *path, struct file *f)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    f->data = malloc(FILE_CAP);
    f->len = fread(f->data, 1, FILE_CAP, fp);
    fclose(fp);
    return f->len > 0 && f->len < FILE_CAP ? 0 : -1;
}

/* Builds hello.c both ways; the static-PIE command is user/user.mk's. */
static int build_real_files(void)
{
    char cmd[2048];

    if (!mkdtemp(scratch))
        return -1;
    snprintf(cmd, sizeof cmd, "%s/hello.c", scratch);
    FILE *fp = fopen(cmd, "w");
    if (!fp)
        return -1;
    fputs(hello_c, fp);
    fclose(fp);

    snprintf(cmd, sizeof cmd,
             "cd %s && musl-gcc -static -O2 -o hello hello.c && "
             "gcc -std=gnu11 -O2 -fPIE -nostdinc -isystem " MUSL_INC
             " -isystem \"$(gcc -print-file-name=include)\" -c hello.c "
             "-o hello.o && "
             "gcc -nostdlib -static-pie -o hello-pie " MUSL_LIB
             "/rcrt1.o " MUSL_LIB "/crti.o \"$(gcc -print-file-name="
             "crtbeginS.o)\" hello.o " MUSL_LIB "/libc.a "
             "\"$(gcc -print-libgcc-file-name)\" "
             "\"$(gcc -print-file-name=crtendS.o)\" " MUSL_LIB "/crtn.o",
             scratch);
    if (run(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/hello", scratch);
    if (read_file(cmd, &exe) < 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/hello-pie", scratch);
    return read_file(cmd, &pie);
}

static void remove_scratch(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", scratch);
    run(cmd);
}

/* ---- parsing from an exact-size copy ------------------------------------ */

static int buf_read(const struct elf_source *src, uint64_t off, void *buf,
                    size_t len)
{
    /* elf.c promises to ask only inside the file; hold it to that. */
    if (off > src->size || len > src->size - off) {
        fprintf(stderr, "test_elf: read past the file (%lu+%zu > %lu)\n",
                (unsigned long)off, len, (unsigned long)src->size);
        abort();
    }
    memcpy(buf, (const uint8_t *)src->priv + off, len);
    return 0;
}

static int parse(const uint8_t *data, size_t len, struct elf_plan *plan)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, data, len);
    struct elf_source src = {
        .size = len, .name = "test", .read = buf_read, .priv = copy};
    int r = elf_plan_load(&src, plan);
    free(copy);
    return r;
}

/* ---- header access for building bad files ------------------------------- */

static struct elf64_ehdr get_eh(const struct file *f)
{
    struct elf64_ehdr eh;
    memcpy(&eh, f->data, sizeof eh);
    return eh;
}

static void put_eh(struct file *f, const struct elf64_ehdr *eh)
{
    memcpy(f->data, eh, sizeof *eh);
}

static struct elf64_phdr get_ph(const struct file *f, int i)
{
    struct elf64_phdr ph;
    uint64_t off = get_eh(f).e_phoff + (uint64_t)i * sizeof ph;
    memcpy(&ph, f->data + off, sizeof ph);
    return ph;
}

static void put_ph(struct file *f, int i, const struct elf64_phdr *ph)
{
    uint64_t off = get_eh(f).e_phoff + (uint64_t)i * sizeof *ph;
    memcpy(f->data + off, ph, sizeof *ph);
}

/* Index of the nth (from 0) program header of this type, or -1. */
static int find_ph(const struct file *f, uint32_t type, int nth)
{
    struct elf64_ehdr eh = get_eh(f);
    for (int i = 0; i < eh.e_phnum; i++)
        if (get_ph(f, i).p_type == type && nth-- == 0)
            return i;
    return -1;
}

/* The PT_LOAD with the X flag. */
static int find_text(const struct file *f)
{
    for (int n = 0; find_ph(f, ELF_PT_LOAD, n) >= 0; n++) {
        int i = find_ph(f, ELF_PT_LOAD, n);
        if (get_ph(f, i).p_flags & ELF_PF_X)
            return i;
    }
    return -1;
}

static struct file copy_of(const struct file *f)
{
    struct file c = {.data = malloc(f->len), .len = f->len};
    memcpy(c.data, f->data, f->len);
    return c;
}

/* Parses a broken copy, frees it, and says whether it was refused. */
static bool is_refused(struct file *c)
{
    struct elf_plan plan;
    int r = parse(c->data, c->len, &plan);
    free(c->data);
    if (r != -ENOEXEC) {
        fprintf(stderr, "test_elf: expected -ENOEXEC, got %d\n", r);
        return false;
    }
    refused++;
    return true;
}

/* Sets one field of one program header, then expects a refusal. */
enum ph_field {
    PH_TYPE,
    PH_FLAGS,
    PH_OFFSET,
    PH_VADDR,
    PH_FILESZ,
    PH_MEMSZ,
    PH_ALIGN
};

static bool refuses_ph(const struct file *f, int i, enum ph_field field,
                       uint64_t v)
{
    struct file c = copy_of(f);
    struct elf64_phdr ph = get_ph(&c, i);
    switch (field) {
    case PH_TYPE:
        ph.p_type = (uint32_t)v;
        break;
    case PH_FLAGS:
        ph.p_flags = (uint32_t)v;
        break;
    case PH_OFFSET:
        ph.p_offset = v;
        break;
    case PH_VADDR:
        ph.p_vaddr = v;
        break;
    case PH_FILESZ:
        ph.p_filesz = v;
        break;
    case PH_MEMSZ:
        ph.p_memsz = v;
        break;
    case PH_ALIGN:
        ph.p_align = v;
        break;
    }
    put_ph(&c, i, &ph);
    return is_refused(&c);
}

/* ---- the plan's promises ------------------------------------------------ */

/* Everything elf.h promises about an accepted file's plan. */
static bool plan_keeps_promises(const struct elf_plan *p, size_t file_len)
{
    bool entry_ok = false;
    if (p->nsegs == 0 || p->nsegs > ELF_MAX_LOADS)
        return false;
    for (uint32_t i = 0; i < p->nsegs; i++) {
        const struct elf_segment *s = &p->seg[i];
        if (s->vaddr < ELF_USER_BOTTOM || s->vaddr >= ELF_USER_TOP ||
            s->memsz > ELF_USER_TOP - s->vaddr || s->filesz > s->memsz ||
            s->offset > file_len || s->filesz > file_len - s->offset)
            return false;
        if ((s->rights & ELF_SEG_W) && (s->rights & ELF_SEG_X))
            return false;
        if (i > 0) {
            const struct elf_segment *q = &p->seg[i - 1];
            uint64_t q_end = (q->vaddr + q->memsz + ELF_PAGE_SIZE - 1) &
                             ~(ELF_PAGE_SIZE - 1);
            if ((s->vaddr & ~(ELF_PAGE_SIZE - 1)) < q_end)
                return false;
        }
        if ((s->rights & ELF_SEG_X) && p->entry >= s->vaddr &&
            p->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    return entry_ok && p->image_hi <= ELF_USER_TOP &&
           p->image_lo >= ELF_USER_BOTTOM && p->phent == 56;
}

/* ---- the real files ----------------------------------------------------- */

/* musl-gcc -static: ET_EXEC at its link address, bias 0, headers in seg 0. */
TEST(elf_plans_musl_static_executable)
{
    struct elf_plan p;
    struct elf64_ehdr eh = get_eh(&exe);
    CHECK_EQ(parse(exe.data, exe.len, &p), 0);
    CHECK(!p.static_pie);
    CHECK_EQ(p.load_bias, 0);
    CHECK_EQ(p.entry, eh.e_entry);
    CHECK_EQ(p.phnum, eh.e_phnum);
    CHECK_EQ(p.phent, 56);
    int loads = 0;
    for (int n = 0; find_ph(&exe, ELF_PT_LOAD, n) >= 0; n++) {
        struct elf64_phdr ph = get_ph(&exe, find_ph(&exe, ELF_PT_LOAD, n));
        CHECK_EQ(p.seg[n].vaddr, ph.p_vaddr);
        CHECK_EQ(p.seg[n].memsz, ph.p_memsz);
        CHECK_EQ(p.seg[n].filesz, ph.p_filesz);
        CHECK_EQ(p.seg[n].offset, ph.p_offset);
        CHECK_EQ(!!(p.seg[n].rights & ELF_SEG_X), !!(ph.p_flags & ELF_PF_X));
        CHECK_EQ(!!(p.seg[n].rights & ELF_SEG_W), !!(ph.p_flags & ELF_PF_W));
        loads++;
    }
    CHECK_EQ(p.nsegs, loads);
    CHECK_EQ(p.phdr_addr, p.seg[0].vaddr + eh.e_phoff);
    CHECK(p.seg[p.nsegs - 1].memsz > 70000); /* the bss is in the plan */
    CHECK(plan_keeps_promises(&p, exe.len));
}

/* Static-PIE: ET_DYN without PT_INTERP, moved up to ELF_PIE_BASE. */
TEST(elf_plans_musl_static_pie)
{
    struct elf_plan p;
    struct elf64_ehdr eh = get_eh(&pie);
    CHECK_EQ(eh.e_type, ELF_ET_DYN);
    CHECK_EQ(parse(pie.data, pie.len, &p), 0);
    CHECK(p.static_pie);
    CHECK_EQ(p.load_bias, ELF_PIE_BASE); /* its first segment is at 0 */
    CHECK_EQ(p.entry, eh.e_entry + ELF_PIE_BASE);
    CHECK_EQ(p.seg[0].vaddr, ELF_PIE_BASE);
    CHECK_EQ(p.image_lo, ELF_PIE_BASE);
    CHECK_EQ(p.phdr_addr, ELF_PIE_BASE + eh.e_phoff);
    CHECK(find_ph(&pie, ELF_PT_DYNAMIC, 0) >= 0);
    CHECK(plan_keeps_promises(&p, pie.len));
}

/* Both files really run on Linux, so the good corpus is not a fake. */
TEST(elf_test_programs_run_on_linux)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s/hello >/dev/null", scratch);
    CHECK_EQ(run(cmd), EXIT_CODE);
    snprintf(cmd, sizeof cmd, "%s/hello-pie >/dev/null", scratch);
    CHECK_EQ(run(cmd), EXIT_CODE);
}

/* ---- the malformed corpus ----------------------------------------------- */

/* Cut anywhere, the file loses its section table or a segment's bytes. */
TEST(elf_refuses_truncated_files)
{
    const struct file *files[] = {&exe, &pie};
    for (int k = 0; k < 2; k++) {
        const struct file *f = files[k];
        struct elf64_ehdr eh = get_eh(f);
        /* The precondition that makes every cut fatal. */
        CHECK_EQ(eh.e_shoff + (uint64_t)eh.e_shnum * 64, f->len);
        for (size_t len = 0; len < f->len; len += len < 1024 ? 1 : 97) {
            struct file c = {.data = malloc(len ? len : 1), .len = len};
            memcpy(c.data, f->data, len);
            CHECK(is_refused(&c));
        }
    }
}

TEST(elf_refuses_bad_identification)
{
    for (int i = 0; i < 4; i++) {
        struct file c = copy_of(&exe);
        c.data[i] ^= 0x20;
        CHECK(is_refused(&c));
    }
    const struct {
        int index;
        uint8_t value;
    } bad[] = {
        {ELF_EI_CLASS, 1},   {ELF_EI_CLASS, 0}, {ELF_EI_CLASS, 3},
        {ELF_EI_DATA, 2},    {ELF_EI_DATA, 0},  {ELF_EI_VERSION, 0},
        {ELF_EI_VERSION, 2}, {ELF_EI_OSABI, 9}, {ELF_EI_OSABI, 0xff},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct file c = copy_of(&exe);
        c.data[bad[i].index] = bad[i].value;
        CHECK(is_refused(&c));
    }
    struct file c = copy_of(&exe);
    struct elf64_ehdr eh = get_eh(&c);
    eh.e_version = 2;
    put_eh(&c, &eh);
    CHECK(is_refused(&c));
}

TEST(elf_refuses_wrong_machine_or_type)
{
    const uint16_t machines[] = {0, 3 /* i386 */, 183 /* aarch64 */, 0xffff};
    for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++) {
        struct file c = copy_of(&exe);
        struct elf64_ehdr eh = get_eh(&c);
        eh.e_machine = machines[i];
        put_eh(&c, &eh);
        CHECK(is_refused(&c));
    }
    const uint16_t types[] = {0, 1 /* REL */, 4 /* CORE */, 0xfe00, 0xffff};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct file c = copy_of(&exe);
        struct elf64_ehdr eh = get_eh(&c);
        eh.e_type = types[i];
        put_eh(&c, &eh);
        CHECK(is_refused(&c));
    }
}

/* One ELF-header field set to a value that must be refused. */
static bool refuses_eh(const struct file *f, int field, uint64_t v)
{
    struct file c = copy_of(f);
    struct elf64_ehdr eh = get_eh(&c);
    switch (field) {
    case 0:
        eh.e_ehsize = (uint16_t)v;
        break;
    case 1:
        eh.e_phentsize = (uint16_t)v;
        break;
    case 2:
        eh.e_phnum = (uint16_t)v;
        break;
    case 3:
        eh.e_phoff = v;
        break;
    case 4:
        eh.e_shoff = v;
        break;
    case 5:
        eh.e_shentsize = (uint16_t)v;
        break;
    case 6:
        eh.e_shnum = (uint16_t)v;
        break;
    case 7:
        eh.e_entry = v;
        break;
    }
    put_eh(&c, &eh);
    return is_refused(&c);
}

TEST(elf_refuses_bad_header_sizes_and_counts)
{
    CHECK(refuses_eh(&exe, 0, 52));
    CHECK(refuses_eh(&exe, 0, 0));
    CHECK(refuses_eh(&exe, 1, 32));
    CHECK(refuses_eh(&exe, 1, 64));
    CHECK(refuses_eh(&exe, 2, 0));
    CHECK(refuses_eh(&exe, 2, ELF_MAX_PHNUM + 1));
    CHECK(refuses_eh(&exe, 2, 0xffff)); /* PN_XNUM */
    CHECK(refuses_eh(&exe, 5, 40));
    CHECK(refuses_eh(&exe, 5, 0));
}

TEST(elf_refuses_tables_past_end_of_file)
{
    const struct file *files[] = {&exe, &pie};
    for (int k = 0; k < 2; k++) {
        const struct file *f = files[k];
        uint64_t len = f->len;
        CHECK(refuses_eh(f, 3, len));
        CHECK(refuses_eh(f, 3, len - 56));
        CHECK(refuses_eh(f, 3, ~0ull - 10)); /* phoff + size wraps */
        CHECK(refuses_eh(f, 3, 1ull << 63));
        CHECK(refuses_eh(f, 4, len));
        CHECK(refuses_eh(f, 4, len - 63));
        CHECK(refuses_eh(f, 4, ~0ull - 63));
        CHECK(refuses_eh(f, 6, get_eh(f).e_shnum + 1));
        CHECK(refuses_eh(f, 6, 0xffff));
    }
}

TEST(elf_refuses_bad_segment_sizes)
{
    const struct file *files[] = {&exe, &pie};
    for (int k = 0; k < 2; k++) {
        const struct file *f = files[k];
        int t = find_text(f);
        int last = find_ph(f, ELF_PT_LOAD, 3);
        struct elf64_phdr ph = get_ph(f, t);
        CHECK(t >= 0 && last >= 0);
        CHECK(refuses_ph(f, t, PH_FILESZ, ph.p_memsz + 1)); /* > memsz */
        CHECK(refuses_ph(f, t, PH_FILESZ, f->len));         /* past file */
        CHECK(refuses_ph(f, t, PH_OFFSET, f->len + 4096));
        CHECK(refuses_ph(f, t, PH_OFFSET, ~0ull - 4095)); /* wraps */
        CHECK(refuses_ph(f, t, PH_OFFSET, f->len - 16));
        CHECK(refuses_ph(f, t, PH_FILESZ, ~0ull));
        CHECK(refuses_ph(f, last, PH_MEMSZ, ~0ull));      /* wraps */
        CHECK(refuses_ph(f, last, PH_MEMSZ, 1ull << 47)); /* absurd */
        /* Ends one byte past the user half (after the bias, for PIE). */
        uint64_t bias = k ? ELF_PIE_BASE : 0;
        uint64_t lv = get_ph(f, last).p_vaddr + bias;
        CHECK(refuses_ph(f, last, PH_MEMSZ, ELF_USER_TOP - lv + 1));
    }
}

TEST(elf_refuses_segments_outside_user_half)
{
    int t = find_text(&exe);
    int last = find_ph(&exe, ELF_PT_LOAD, 3);
    const uint64_t bad_vaddr[] = {
        0xffffffff80000000ull,
        0xffff800000000000ull,
        ELF_USER_TOP,
        ELF_USER_TOP - 0x1000 + (get_ph(&exe, t).p_offset & 0xfff),
        0x0000800000000000ull,
        0,
        0x1000,
        0xf000,
    };
    for (size_t i = 0; i < sizeof bad_vaddr / sizeof bad_vaddr[0]; i++) {
        /* Keep p_vaddr congruent to p_offset, so only the address is bad. */
        uint64_t v =
            (bad_vaddr[i] & ~0xfffull) | (get_ph(&exe, last).p_offset & 0xfff);
        CHECK(refuses_ph(&exe, last, PH_VADDR, v));
    }
    /* The first segment moved below 64 KiB. */
    CHECK(refuses_ph(&exe, find_ph(&exe, ELF_PT_LOAD, 0), PH_VADDR, 0x8000));
    /* A static-PIE whose span reaches past USER_TOP once moved up. */
    int plast = find_ph(&pie, ELF_PT_LOAD, 3);
    CHECK(refuses_ph(&pie, plast, PH_MEMSZ, 0x300000000000ull));
    /* A static-PIE with a segment in the kernel half. */
    CHECK(refuses_ph(&pie, plast, PH_VADDR, 0xffffffff80006e48ull));
}

TEST(elf_refuses_overlapping_segments)
{
    const struct file *files[] = {&exe, &pie};
    for (int k = 0; k < 2; k++) {
        const struct file *f = files[k];
        int a = find_ph(f, ELF_PT_LOAD, 1);
        int b = find_ph(f, ELF_PT_LOAD, 2);
        struct elf64_phdr pa = get_ph(f, a);
        struct elf64_phdr pb = get_ph(f, b);
        /* b starts where a starts. */
        uint64_t same = (pa.p_vaddr & ~0xfffull) | (pb.p_offset & 0xfff);
        CHECK(refuses_ph(f, b, PH_VADDR, same));
        /* b starts inside a's last page. */
        uint64_t end = pa.p_vaddr + pa.p_memsz - 1;
        CHECK(refuses_ph(f, b, PH_VADDR,
                         (end & ~0xfffull) | (pb.p_offset & 0xfff)));
        /* a grows over b. */
        CHECK(refuses_ph(f, a, PH_MEMSZ, pb.p_vaddr - pa.p_vaddr + 1));
        /* The two swapped: out of order. */
        struct file c = copy_of(f);
        put_ph(&c, a, &pb);
        put_ph(&c, b, &pa);
        CHECK(is_refused(&c));
    }
}

TEST(elf_refuses_writable_executable_segment)
{
    int t = find_text(&exe);
    CHECK(refuses_ph(&exe, t, PH_FLAGS, ELF_PF_R | ELF_PF_W | ELF_PF_X));
    CHECK(refuses_ph(&exe, t, PH_FLAGS, ELF_PF_W | ELF_PF_X));
    int d = find_ph(&pie, ELF_PT_LOAD, 3); /* the RW data segment */
    CHECK(refuses_ph(&pie, d, PH_FLAGS, ELF_PF_R | ELF_PF_W | ELF_PF_X));
}

TEST(elf_refuses_bad_alignment)
{
    int t = find_text(&exe);
    struct elf64_phdr ph = get_ph(&exe, t);
    CHECK(refuses_ph(&exe, t, PH_ALIGN, 3));
    CHECK(refuses_ph(&exe, t, PH_ALIGN, 0x1800));
    CHECK(refuses_ph(&exe, t, PH_ALIGN, 1ull << 30));
    CHECK(refuses_ph(&exe, t, PH_ALIGN, 1ull << 63));
    CHECK(refuses_ph(&exe, t, PH_VADDR, ph.p_vaddr + 8)); /* not congruent */
    CHECK(refuses_ph(&exe, t, PH_OFFSET, ph.p_offset + 0x10));
}

TEST(elf_refuses_entry_outside_executable_segment)
{
    int t = find_text(&exe);
    struct elf64_phdr text = get_ph(&exe, t);
    struct elf64_phdr first = get_ph(&exe, find_ph(&exe, ELF_PT_LOAD, 0));
    struct elf64_phdr data = get_ph(&exe, find_ph(&exe, ELF_PT_LOAD, 3));
    CHECK(refuses_eh(&exe, 7, 0));
    CHECK(refuses_eh(&exe, 7, first.p_vaddr));               /* R only */
    CHECK(refuses_eh(&exe, 7, data.p_vaddr + 8));            /* RW */
    CHECK(refuses_eh(&exe, 7, text.p_vaddr + text.p_memsz)); /* one past */
    CHECK(refuses_eh(&exe, 7, text.p_vaddr - 1));
    CHECK(refuses_eh(&exe, 7, 0xffffffff80001000ull)); /* kernel half */
    CHECK(refuses_eh(&exe, 7, ~0ull));
    CHECK(refuses_eh(&pie, 7, 0)); /* a R-only page once biased */
    CHECK(refuses_eh(&pie, 7, ~0ull - ELF_PIE_BASE + 0x1100)); /* wraps */
}

/* A PT_INTERP anywhere makes it a dynamic program. */
TEST(elf_refuses_interp)
{
    CHECK(refuses_ph(&exe, find_ph(&exe, 0x6474e551 /* GNU_STACK */, 0),
                     PH_TYPE, ELF_PT_INTERP));
    CHECK(
        refuses_ph(&pie, find_ph(&pie, 0x6474e551, 0), PH_TYPE, ELF_PT_INTERP));
    CHECK(refuses_ph(&pie, find_ph(&pie, 4 /* PT_NOTE */, 0), PH_TYPE,
                     ELF_PT_INTERP));
}

/* Headers that are not PT_LOAD are checked against the file too. */
TEST(elf_refuses_any_header_past_end_of_file)
{
    int stack = find_ph(&exe, 0x6474e551, 0);
    int relro = find_ph(&exe, 0x6474e552, 0);
    CHECK(refuses_ph(&exe, stack, PH_OFFSET, exe.len + 1));
    CHECK(refuses_ph(&exe, stack, PH_FILESZ, exe.len + 1));
    CHECK(refuses_ph(&exe, relro, PH_FILESZ, ~0ull));
    CHECK(refuses_ph(&pie, find_ph(&pie, ELF_PT_DYNAMIC, 0), PH_OFFSET,
                     ~0ull - 8));
    CHECK(refuses_ph(&pie, find_ph(&pie, 4, 0), PH_FILESZ, pie.len));
}

TEST(elf_refuses_file_without_load_segments)
{
    struct file c = copy_of(&exe);
    for (int i; (i = find_ph(&c, ELF_PT_LOAD, 0)) >= 0;) {
        struct elf64_phdr ph = get_ph(&c, i);
        ph.p_type = ELF_PT_NULL;
        put_ph(&c, i, &ph);
    }
    CHECK(is_refused(&c));
}

/* A PT_PHDR must point into a loaded segment; if it does, AT_PHDR uses it. */
TEST(elf_checks_pt_phdr)
{
    int relro = find_ph(&exe, 0x6474e552, 0);
    struct elf64_ehdr eh = get_eh(&exe);
    struct elf64_phdr first = get_ph(&exe, find_ph(&exe, ELF_PT_LOAD, 0));
    struct file c = copy_of(&exe);
    struct elf64_phdr ph = {.p_type = ELF_PT_PHDR,
                            .p_flags = ELF_PF_R,
                            .p_offset = eh.e_phoff,
                            .p_vaddr = first.p_vaddr + eh.e_phoff,
                            .p_filesz = eh.e_phnum * 56u,
                            .p_memsz = eh.e_phnum * 56u,
                            .p_align = 8};
    put_ph(&c, relro, &ph);
    struct elf_plan p;
    CHECK_EQ(parse(c.data, c.len, &p), 0);
    CHECK_EQ(p.phdr_addr, first.p_vaddr + eh.e_phoff);
    ph.p_vaddr = 0x20000; /* not loaded */
    put_ph(&c, relro, &ph);
    CHECK(is_refused(&c));
}

TEST(elf_refuses_short_files)
{
    const uint8_t magic[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    struct elf_plan p;
    CHECK_EQ(parse(magic, 0, &p), -ENOEXEC);
    CHECK_EQ(parse(magic, sizeof magic, &p), -ENOEXEC);
    CHECK_EQ(parse((const uint8_t *)"#!/bin/sh\n", 10, &p), -ENOEXEC);
}

/* The read callback's own error comes back unchanged. */
static int failing_read(const struct elf_source *src, uint64_t off, void *buf,
                        size_t len)
{
    if (off > 0)
        return -EIO;
    return buf_read(src, off, buf, len);
}

TEST(elf_passes_read_errors_through)
{
    struct elf_plan p;
    struct elf_source src = {
        .size = exe.len, .name = "eio", .read = failing_read, .priv = exe.data};
    CHECK_EQ(elf_plan_load(&src, &p), -EIO);
}

/* ---- random mutations --------------------------------------------------- */

static uint64_t rng_state = MUTATION_SEED;

/* xorshift64*: small, seeded, the same sequence on every run. */
static uint64_t rng(void)
{
    return xorshift64_star(&rng_state);
}

static uint64_t interesting(size_t len)
{
    const uint64_t v[] = {0,
                          1,
                          2,
                          56,
                          64,
                          0x1000,
                          0xfff,
                          0x10000,
                          0x400000,
                          len,
                          len - 1,
                          len + 1,
                          ELF_USER_TOP,
                          ELF_USER_TOP - 1,
                          ELF_PIE_BASE,
                          0x7fffffffffffffffull,
                          0x8000000000000000ull,
                          0xffffffff80000000ull,
                          ~0ull,
                          ~0ull - 0xfff};
    uint64_t r = rng();
    if (r % 4 == 0)
        return rng();
    return v[(r >> 8) % (sizeof v / sizeof v[0])];
}

/* One mutation of a copy: a few bytes, a whole field, or a cut. */
static void mutate(struct file *c)
{
    size_t hdr = 64 + 56 * 12; /* header and the phdrs, where it matters */
    if (hdr > c->len)
        hdr = c->len;
    switch (rng() % 5) {
    case 0: /* flip bits in the headers */
        for (int n = 1 + rng() % 4; n > 0; n--)
            c->data[rng() % hdr] ^= (uint8_t)(1u << (rng() % 8));
        break;
    case 1: { /* an interesting value in an aligned 8-byte field */
        uint64_t v = interesting(c->len);
        memcpy(c->data + (rng() % (hdr / 8)) * 8, &v, 8);
        break;
    }
    case 2: { /* an interesting value in a 2- or 4-byte field */
        uint64_t v = interesting(c->len);
        size_t w = rng() % 2 ? 2 : 4;
        memcpy(c->data + (rng() % (hdr / w)) * w, &v, w);
        break;
    }
    case 3: /* a random byte anywhere */
        c->data[rng() % c->len] = (uint8_t)rng();
        break;
    default: /* a cut */
        c->len = rng() % (c->len + 1);
        break;
    }
}

TEST(elf_survives_random_mutations)
{
    int accepted = 0, refused_here = 0;
    for (int i = 0; i < MUTATIONS; i++) {
        const struct file *base = i % 2 ? &pie : &exe;
        struct file c = copy_of(base);
        for (int n = 1 + rng() % 3; n > 0; n--)
            mutate(&c);
        struct elf_plan p;
        int r = parse(c.data, c.len, &p);
        if (r == 0) {
            accepted++;
            if (!plan_keeps_promises(&p, c.len)) {
                fprintf(stderr, "test_elf: mutation %d broke a promise\n", i);
                CHECK(0);
            }
        } else {
            refused_here++;
            CHECK_EQ(r, -ENOEXEC);
        }
        free(c.data);
    }
    printf("test_elf: %d mutations (seed %#llx): %d accepted, %d refused\n",
           MUTATIONS, MUTATION_SEED, accepted, refused_here);
    CHECK(refused_here > MUTATIONS / 4); /* the loop does break things */
}

/*
 * `test_elf --corpus DIR`: checks files written by
 * tests/user/malformed_elf/gen_malformed.py, so the generator and the parser
 * are proven to agree: every refuse/ file gets -ENOEXEC, every random/ file
 * gets -ENOEXEC or a plan that keeps its promises.
 */
static int check_corpus(const char *dir)
{
    char path[8192], line[2048];
    int bad = 0, n = 0;
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    FILE *m = fopen(path, "r");
    if (!m)
        return 1;
    while (fgets(line, sizeof line, m)) {
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *sp = 0;
        struct file f;
        snprintf(path, sizeof path, "%s/%s", dir, line);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            return 1;
        f.data = malloc(FILE_CAP);
        f.len = fread(f.data, 1, FILE_CAP, fp);
        fclose(fp);
        struct elf_plan p;
        int r = parse(f.data, f.len, &p);
        bool must_refuse = !strncmp(sp + 1, "ENOEXEC", 7);
        if (must_refuse ? r != -ENOEXEC
                        : r != -ENOEXEC &&
                              !(r == 0 && plan_keeps_promises(&p, f.len))) {
            printf("corpus: %s gave %d\n", line, r);
            bad++;
        }
        free(f.data);
        n++;
    }
    fclose(m);
    printf("corpus: %d files, %d wrong\n", n, bad);
    return bad != 0 || n == 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--corpus"))
        return check_corpus(argv[2]);
    if (build_real_files() < 0) {
        fprintf(stderr, "test_elf: cannot build the musl test programs\n");
        printf("FAIL: elf_build_test_programs\n");
        return 1;
    }
    RUN(elf_plans_musl_static_executable);
    RUN(elf_plans_musl_static_pie);
    RUN(elf_test_programs_run_on_linux);
    RUN(elf_refuses_truncated_files);
    RUN(elf_refuses_bad_identification);
    RUN(elf_refuses_wrong_machine_or_type);
    RUN(elf_refuses_bad_header_sizes_and_counts);
    RUN(elf_refuses_tables_past_end_of_file);
    RUN(elf_refuses_bad_segment_sizes);
    RUN(elf_refuses_segments_outside_user_half);
    RUN(elf_refuses_overlapping_segments);
    RUN(elf_refuses_writable_executable_segment);
    RUN(elf_refuses_bad_alignment);
    RUN(elf_refuses_entry_outside_executable_segment);
    RUN(elf_refuses_interp);
    RUN(elf_refuses_any_header_past_end_of_file);
    RUN(elf_refuses_file_without_load_segments);
    RUN(elf_checks_pt_phdr);
    RUN(elf_refuses_short_files);
    RUN(elf_passes_read_errors_through);
    RUN(elf_survives_random_mutations);
    printf("test_elf: %d malformed files refused\n", refused);
    remove_scratch();
    free(exe.data);
    free(pie.data);
    return check_summary();
}
