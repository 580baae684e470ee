/*
 * The malformed ELF corpus: execve must refuse every broken file with
 * -ENOEXEC, and nothing may crash but the odd random mutant itself.
 *
 * The corpus is on the disk in /tests/elf (made by the build from
 * tests/user/malformed_elf/tiny.c with gen_malformed.py; its MANIFEST lists
 * each file as "refuse/<name> ENOEXEC <why>" or "random/<name> ANY ...").
 * Each file is tried in a forked child, posix_spawn-style: the child
 * writes execve's errno to a close-on-exec pipe, so the parent reads an
 * errno if execve failed and end-of-file if it succeeded. A refuse/ file
 * must give ENOEXEC; a random/ file may be refused with any error or may
 * run and exit or die by a signal, and one that runs too long is killed.
 * Controls: the unbroken tiny and tiny-pie must run (and exit with 23), so
 * the refusals are the breakage's doing and not the loader's; a text file
 * and an empty file must get ENOEXEC as well. One FAIL line per wrongly
 * treated file, one summary check per kind.
 *
 * See: tests/user/malformed_elf/README.md, kernel/proc/elf.c
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheck.h"

#define CORPUS      "/tests/elf"
#define TINY_STATUS 23
#define RUN_MS      2000 /* a random mutant that runs longer is killed */
#define POLL_MS     5

struct outcome {
    int err;    /* execve's errno, or 0 if it succeeded */
    int status; /* the child's wait status */
    bool hung;  /* ran past RUN_MS and was killed */
};

static void sleep_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000};
    nanosleep(&ts, NULL);
}

static struct outcome try_exec(const char *path)
{
    struct outcome o = {0, 0, false};
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        o.err = -1;
        return o;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        char *argv[] = {(char *)path, NULL}, *envp[] = {NULL};
        execve(path, argv, envp);
        int e = errno;
        write(p[1], &e, sizeof e);
        _exit(127);
    }
    close(p[1]);
    int e = 0;
    if (read(p[0], &e, sizeof e) == (long)sizeof e)
        o.err = e;
    close(p[0]);
    for (int waited = 0;; waited += POLL_MS) {
        if (waitpid(pid, &o.status, WNOHANG) == pid)
            break;
        if (waited >= RUN_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &o.status, 0);
            o.hung = true;
            break;
        }
        sleep_ms(POLL_MS);
    }
    return o;
}

static void controls(void)
{
    struct outcome o = try_exec(CORPUS "/tiny");
    sc_check("control_tiny_runs",
             o.err == 0 && WIFEXITED(o.status) &&
                 WEXITSTATUS(o.status) == TINY_STATUS,
             "errno %d, status %#x", o.err, o.status);
    o = try_exec(CORPUS "/tiny-pie");
    sc_check("control_tiny_pie_runs",
             o.err == 0 && WIFEXITED(o.status) &&
                 WEXITSTATUS(o.status) == TINY_STATUS,
             "errno %d, status %#x", o.err, o.status);
    int fd = open("not-elf.txt", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, "hello, not a program\n", 21);
    close(fd);
    close(open("empty", O_WRONLY | O_CREAT | O_TRUNC, 0755));
    o = try_exec("not-elf.txt");
    sc_check("text_file_is_enoexec", o.err == ENOEXEC, "errno %d", o.err);
    o = try_exec("empty");
    sc_check("empty_file_is_enoexec", o.err == ENOEXEC, "errno %d", o.err);
    o = try_exec(CORPUS "/no-such-file");
    sc_check("missing_file_is_enoent", o.err == ENOENT, "errno %d", o.err);
}

struct tally {
    int files, bad, refused, ran, signalled, hung;
};

/* One MANIFEST line: "<path> <expectation> <why...>". */
static void one_file(char *line, struct tally *named, struct tally *random)
{
    char *sp = strchr(line, ' ');
    if (!sp)
        return;
    *sp = '\0';
    bool must_refuse = strncmp(sp + 1, "ENOEXEC", 7) == 0;
    char path[256];
    snprintf(path, sizeof path, CORPUS "/%.200s", line);
    struct outcome o = try_exec(path);
    struct tally *t = must_refuse ? named : random;
    t->files++;
    if (o.err)
        t->refused++;
    else if (o.hung)
        t->hung++;
    else if (WIFSIGNALED(o.status))
        t->signalled++;
    else
        t->ran++;
    if (must_refuse && o.err != ENOEXEC) {
        t->bad++;
        char name[300];
        snprintf(name, sizeof name, "refuses_%.200s", line);
        sc_check(name, false, "errno %d (%s), status %#x", o.err,
                 o.err ? strerror(o.err) : "it ran", o.status);
    }
}

int main(void)
{
    sc_begin();
    controls();
    FILE *m = fopen(CORPUS "/MANIFEST", "r");
    sc_check("manifest_opens", m != NULL, "%s", strerror(errno));
    if (!m)
        return sc_done();
    struct tally named = {0}, random = {0};
    char line[512];
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\n")] = '\0';
        one_file(line, &named, &random);
    }
    fclose(m);
    printf("elf: %d named files, %d refused with ENOEXEC; %d random: %d "
           "refused, %d ran, %d killed by a signal, %d hung\n",
           named.files, named.files - named.bad, random.files, random.refused,
           random.ran, random.signalled, random.hung);
    sc_check("corpus_has_named_files", named.files >= 100, "%d files",
             named.files);
    sc_check("execve_refuses_every_named_file", named.bad == 0,
             "%d of %d not refused with ENOEXEC", named.bad, named.files);
    sc_check("random_mutants_all_tried", random.files > 0, "%d random files",
             random.files);
    controls(); /* the loader still works after the corpus */
    return sc_done();
}
