"""Debian's busybox, bash and zsh used as a person uses them (issue #17).

One boot of Ember's own shell on the console, with Debian's static
busybox, bash and zsh (tools/fetch-linux-progs.sh, cache/linux-progs/)
copied into /bb of a copy of the test disk; each is started by hand from
Ember's shell and driven through the serial line, and busybox vi through
the PS/2 keyboard (QMP keys):

- `busybox sh`: line editing (cursor left, insert), history (cursor up),
  `$(...)` in a pipeline, `sleep 1 & wait`, a trap on SIGINT, and ctrl-c
  ending a `sleep 1000` and not the shell ($? is 130);
- `busybox vi`: opens /scratch/v.txt, appends to a line, opens a new one,
  leaves insert mode with a lone Esc and saves with :wq; after power-off
  the file on the disk image (mtype) holds both edits;
- `bash -i` and `zsh -f`: a pipeline with `$(...)`, `sleep 1 & wait`, a
  trap on SIGUSR1, and ctrl-c ending a `sleep 1000` and not the shell.

A second boot lists threads as `ps -T` does: busybox ps reads
/proc/<pid>/task, and a musl program holding 4 threads shows 4 lines with
-T and 1 without.

Every wait is bounded by a prompt or a marker, never by a time; a
`sleep 1000` that ctrl-c failed to end fails the test by its timeout.

See: docs/linux-programs.md, tests/system/session.py
"""
import os
import re

from harness import EXIT_POWEROFF, ROOT, check, mtools, mtype, systest
from session import ESCAPES, PROMPT, Session, disk_with

BIN = os.path.join(ROOT, "cache", "linux-progs", "bin")
UP, LEFT = b"\x1b[A", b"\x1b[D"


def shell_disk(name):
    """A copy of the test disk with the three programs in /bb."""
    for prog in ("busybox", "bash", "zsh"):
        check(os.path.exists(os.path.join(BIN, prog)),
              f"{BIN}/{prog} missing: run tools/fetch-linux-progs.sh")
    img = disk_with(name, {"v.txt": b"line one\n"})
    mtools("mmd", img, "::/bb")
    mtools("mcopy", img, "-o", *[os.path.join(BIN, p) for p in
                                 ("busybox", "bash", "zsh")], "::/bb/")
    return img


class Shell:
    """Types at a shell whose prompt ends in `tag> ` and reads its output."""

    def __init__(self, s, tag):
        self.s, self.prompt = s, tag.encode().decode() + "> "

    def line(self, text, want=None, timeout=60):
        """Types text and Enter; waits for the next prompt after the output;
        returns the output between (escapes dropped)."""
        start = self.s.mark()
        self.s.send(text.encode() + b"\r")
        m = self.s.wait(want if want else r"\n(?:.*\S)?\s*" +
                        self.prompt, start, timeout)
        if want:
            self.s.wait(self.prompt, m.end(), timeout)
        return ESCAPES.sub("", self.s.guest.serial[start:])

    def ctrl_c(self):
        """ctrl-c during `sleep 1000`: the sleep ends, the shell stays. The
        job itself says it started, so the shell has made it the terminal's
        foreground group before the key."""
        start = self.s.mark()
        self.s.send(b"/bb/busybox sh -c 'echo started; exec sleep 1000'\r")
        self.s.wait(r"\nstarted\n", start, 60)
        self.s.send(b"\x03")
        self.s.wait(self.prompt, self.s.mark() - 1, 60)
        got = self.line("echo alive $?", r"\nalive (\d+)\n")
        check("alive 130" in got, f"after ctrl-c: {got!r}")

    def jobs(self, trap_sig):
        got = self.line("echo $(echo x y | tr a-z A-Z) | cat -n",
                        r"\n\s+1\s+X Y\n")
        got = self.line("sleep 1 & wait; echo w=$?", r"\nw=(\d+)\n")
        check("w=0" in got, f"sleep 1 & wait: {got!r}")
        got = self.line(f"trap 'echo trapped' {trap_sig}; kill -{trap_sig} "
                        f"$$; echo after; trap - {trap_sig}",
                        r"\ntrapped\nafter\n")
        self.ctrl_c()


def busybox_sh(s):
    s.send(b"PS1='b''b> ' /bb/busybox sh\r")
    s.wait(r"\nbb> ", 0, 60)
    sh = Shell(s, "bb")
    # Line editing: three cursor-lefts and an insert make "world".
    start = s.mark()
    s.send(b"echo wrld")
    s.wait(r"wrld", start)
    s.send(LEFT * 3 + b"o\r")
    s.wait(r"\nworld\n", start)
    s.wait(sh.prompt, start)
    # History: cursor-up brings the edited line back.
    start = s.mark()
    s.send(UP)
    s.wait(r"echo world", start)
    s.send(b"\r")
    s.wait(r"\nworld\n", start)
    s.wait(sh.prompt, start)
    sh.jobs("INT")
    return sh


def drawn(text):
    """A pattern for text as vi draws it typed: a key at a time, with
    cursor moves between the characters (a space is often a move alone)."""
    return r"(?:\x1b\[[0-9;]*H| )*".join(re.escape(c) for c in
                                         text.replace(" ", ""))


def busybox_vi(s, g):
    """Edits /scratch/v.txt with keys pressed on the PS/2 keyboard."""
    start = s.mark()
    s.send(b"/bb/busybox vi /scratch/v.txt\r")
    s.wait(r"v\.txt 1/1", start, 60)

    def keys(text):
        from harness import char_to_qcode
        for ch in text:
            g.tap(*char_to_qcode(ch))

    start = s.mark()
    keys("A edited")
    s.wait(drawn("edited"), start)
    g.tap("esc")  # a lone Esc: vi must see it alone (it polls with a timeout)
    s.wait(r"- /scratch/v\.txt \[Modified\]", start)
    start = s.mark()
    keys("onew line")
    s.wait(drawn("new line"), start)
    g.tap("esc")
    s.wait(r"- /scratch/v\.txt \[Modified\] 2/2", start)
    keys(":wq\n")
    s.wait(r"\nbb> |\x1b\[\?1049lbb> ", start, 60)


@systest("linux_shells_interactive", timeout=600)
def _():
    img = shell_disk("linux_shells")
    try:
        with Session(disk_image=img) as s:
            g = s.guest
            busybox_sh(s)
            busybox_vi(s, g)
            start = s.mark()
            s.send(b"exit\r")
            s.wait(PROMPT, start, 60)
            for prog, tag, flag in (("bash", "ba", "-i"), ("zsh", "zs", "-f")):
                start = s.mark()
                s.send(f"PS1='{tag[0]}''{tag[1]}> ' /bb/{prog} {flag}\r"
                       .encode())
                s.wait(tag + "> ", start, 60)
                Shell(s, tag).jobs("USR1")
                start = s.mark()
                s.send(b"exit\r")
                s.wait(PROMPT, start, 60)
            s.send(b"poweroff\r")
            status = g.wait_exit(120)
            check(status == EXIT_POWEROFF, f"QEMU status {status}")
            g.keep_disk(img)
        got = mtype(img, "/scratch/v.txt")
        check(got == "line one edited\nnew line\n",
              f"vi left /scratch/v.txt as {got!r}")
    finally:
        os.remove(img)


@systest("linux_ps_shows_threads", timeout=300)
def _():
    img = shell_disk("linux_ps_threads")
    try:
        with Session(disk_image=img) as s:
            start = s.mark()
            s.send(b"/tests/test_thread_tasks /tmp/r hold &\r")
            s.wait(r"holding 4 threads\n", start, 60)  # after the prompt
            holder = re.compile(r"^\s*\d+ .*test_thread_tasks /tmp/r hold$",
                                re.M)
            out = s.run("/bb/busybox ps -T", timeout=60)
            lines = holder.findall(out)
            ids = {int(line.split()[0]) for line in lines}
            check(len(lines) == 4 and len(ids) == 4,
                  f"ps -T: want 4 threads with distinct ids: {out!r}")
            out = s.run("/bb/busybox ps", timeout=60)
            check(len(holder.findall(out)) == 1, f"ps: {out!r}")
            s.run("kill %1; wait")
            out = s.run("/bb/busybox ps -T", timeout=60)
            check(not holder.findall(out), f"after kill: {out!r}")
    finally:
        os.remove(img)
