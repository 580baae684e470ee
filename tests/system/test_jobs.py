"""System tests of job control at the terminal: ctrl-z, jobs, bg and fg,
typed over the serial console and through QMP keys on the screen's
keyboard, for Ember's /bin/sh, for Debian's busybox sh (ash), and for
Debian's bash-static (`bash -i`) and zsh-static (`zsh -f`) from
cache/linux-progs (tools/fetch-linux-progs.sh).

Each flow types `sleep 100`, stops it with ctrl-z ("[1]+  Stopped"),
lists it, continues it in the background with bg ("Running"), brings it
back with fg and ends it with ctrl-c, then checks the job table is empty.
A key can reach the terminal before the shell has handed the job the
terminal (the shell ignores SIGTSTP, and its line editor drops ^Z), so
ctrl-z and ctrl-c are typed again until their effect shows, a bounded
number of times. Our sh also runs a background reader (`cat &`), which
SIGTTIN stops ("Stopped (tty input)"), and `kill %1` on a stopped job.

busybox comes from the host (/bin/busybox, Debian's busybox-static, as
in test_busybox.py) onto a copy of the test disk, never the default one.

See: tests/system/session.py, docs/tty.md, docs/userland.md
"""
import os
import re
import time

from harness import ROOT, check, mtools, systest
from session import ESCAPES, PROMPT, Session, disk_with

BUSYBOX = "/bin/busybox"
BB_PROMPT = r"bb\$ (\x1b\[6n)?$"  # ash asks where the cursor is
KEY_TRIES = 10  # ctrl-z or ctrl-c typed at most this many times
KEY_WAIT_S = 2  # for its effect, each time

# The keys of the characters the flows type that are not letters or digits
# (a US layout, Ember's default).
QCODES = {"\r": ("ret", False), " ": ("spc", False), "$": ("4", True),
          "?": ("slash", True)}

ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"  # what a line editor draws between
STOPPED = r"\[1\]\+\s+Stopped\s+sleep 100\n"
RUNNING = r"\[1\]\+?\s+Running\s+sleep 100"


class Typist:
    """Types at the shell either on the serial line or as QMP key presses;
    reads what it printed on the serial line (tty=serial)."""

    def __init__(self, s, prompt, keyboard):
        self.s, self.prompt, self.keyboard = s, prompt, keyboard

    def text(self, start):
        return ESCAPES.sub("", self.s.guest.serial[start:])

    def type(self, text):
        if not self.keyboard:
            self.s.send(text.encode())
            return
        g = self.s.guest
        for ch in text:
            qcode, shift = QCODES.get(ch, (ch, False))
            g.tap(qcode, shift=shift)

    def ctrl(self, letter):
        if self.keyboard:
            self.s.guest.tap(letter, ctrl=True)
        else:
            self.s.send(bytes([ord(letter) & 0x1f]))

    def run(self, line):
        """Types line and Enter; returns the text up to the next prompt."""
        start = self.s.mark()
        self.type(line + "\r")
        m = self.s.wait(self.prompt, start + 1, timeout=30)
        return ESCAPES.sub("", self.s.guest.serial[start:m.start()])

    def ctrl_until(self, letter, pattern, start):
        """Types ctrl-letter until pattern shows after start."""
        for _ in range(KEY_TRIES):
            self.ctrl(letter)
            deadline = time.monotonic() + KEY_WAIT_S
            while time.monotonic() < deadline:
                if re.search(pattern, self.text(start), re.M):
                    return
                time.sleep(0.1)
        check(False, f"ctrl-{letter}: no /{pattern}/ in "
              f"{self.text(start)[-300:]!r}")


# What an sh-like shell (ours, ash, bash) prints: the line ctrl-z makes,
# the one `jobs` lists for a stopped and for a running job, and `fg`'s.
SH_LINES = {"stopped": STOPPED, "jobs_stopped": STOPPED,
            "jobs_running": RUNNING, "fg": r"fg" + ANSI + r"\nsleep 100\n"}
# zsh's words for the same (`fg` names the job as `jobs` did: running).
ZSH_LINES = {"stopped": r"zsh: suspended\s+sleep 100\n",
             "jobs_stopped": r"\[1\]\s+\+ suspended\s+sleep 100\n",
             "jobs_running": r"\[1\]\s+\+ running\s+sleep 100",
             "fg": r"fg" + ANSI + r"\n\[1\]\s+\+ running\s+sleep 100\n"}


def stop_bg_fg(t, where, lines=SH_LINES):
    """ctrl-z, jobs, bg, jobs, fg, ctrl-c on `sleep 100`."""
    start = t.s.mark()
    t.type("sleep 100\r")
    t.s.wait(r"sleep 100" + ANSI + r"\n", start, timeout=30)
    t.ctrl_until("z", lines["stopped"], start)
    t.s.wait(t.prompt, start + 1, timeout=30)
    out = t.run("jobs")
    check(re.search(lines["jobs_stopped"], out),
          f"{where}: jobs after ctrl-z: {out!r}")
    t.run("bg")
    out = t.run("jobs")
    check(re.search(lines["jobs_running"], out),
          f"{where}: jobs after bg: {out!r}")
    start = t.s.mark()
    t.type("fg\r")
    t.s.wait(lines["fg"], start, timeout=30)
    t.ctrl_until("c", r"\^C\n", start)
    t.s.wait(t.prompt, start + 1, timeout=30)
    out = t.run("echo $?")
    check(re.search(r"^130$", out, re.M),
          f"{where}: status after ^C: {out!r}")
    out = t.run("jobs")
    check("sleep" not in out, f"{where}: the job is still listed: {out!r}")


@systest("jobs_sh_ctrl_z_bg_fg", timeout=240)
def _():
    with Session() as s:
        stop_bg_fg(Typist(s, PROMPT, keyboard=False), "serial")
        stop_bg_fg(Typist(s, PROMPT, keyboard=True), "keyboard")
        # A background reader is stopped by SIGTTIN; kill %1 ends it
        # although it is stopped (the shell continues it, as bash does).
        s.run("cat &")
        out = ""
        for _ in range(KEY_TRIES):
            out += s.run("true")
            if "Stopped (tty input)" in out:
                break
            time.sleep(KEY_WAIT_S)
        check(re.search(r"\[1\]\+\s+Stopped \(tty input\)\s+cat\n", out),
              f"no SIGTTIN stop reported: {out!r}")
        s.expect("kill %1; wait %1; echo $?", "143\n")
        s.expect("jobs", "")
        # An interactive trap runs, and trap lists it.
        s.expect("trap 'echo caught' USR1; kill -USR1 $$", "caught\n")
        s.expect("trap", "trap -- 'echo caught' USR1\n")


@systest("jobs_busybox_ctrl_z_bg_fg", timeout=240)
def _():
    img = disk_with("jobs_busybox", {})
    try:
        mtools("mcopy", img, "-o", BUSYBOX, "::/tests/busybox")
        with Session(disk_image=img) as s:
            start = s.mark()
            s.send(b"PS1='bb$ ' /tests/busybox sh\r")
            s.wait(r"\n" + BB_PROMPT, start, timeout=60)
            stop_bg_fg(Typist(s, BB_PROMPT, keyboard=False), "serial")
            stop_bg_fg(Typist(s, BB_PROMPT, keyboard=True), "keyboard")
            t = Typist(s, BB_PROMPT, keyboard=False)
            out = t.run("trap 'echo caught' USR1; kill -USR1 $$")
            check("caught\n" in out, f"busybox trap: {out!r}")
            start = s.mark()
            s.send(b"exit\r")
            s.wait(PROMPT, start, timeout=30)
    finally:
        os.remove(img)


LINUX_BIN = os.path.join(ROOT, "cache", "linux-progs", "bin")
# How bash and zsh report a background `cat` that SIGTTIN stopped, and
# that kill -KILL then ended (their words on Linux).
BASH_TTIN = (r"\[1\]\+\s+Stopped\s+cat\n", r"\[1\]\+\s+Killed\s+cat\n")
ZSH_TTIN = (r"\[1\]\s+\+ suspended \(tty input\)\s+cat\n",
            r"\[1\]\s+\+ killed\s+cat\n")


def until_reported(t, pattern, start, where):
    """Runs `true` until the shell has reported pattern after start (a
    job's change is told at a prompt, or by zsh at once), a bounded number
    of times."""
    for _ in range(KEY_TRIES):
        if re.search(pattern, t.text(start)):
            return
        t.run("true")
        time.sleep(KEY_WAIT_S)
    check(re.search(pattern, t.text(start)),
          f"{where}: no /{pattern}/ in {t.text(start)[-300:]!r}")


def background_reader(t, where, ttin):
    """`cat &` reads the terminal from the background: SIGTTIN stops it;
    jobs lists it; kill -KILL ends it although it is stopped."""
    stopped, killed = ttin
    start = t.s.mark()
    t.run("cat &")
    until_reported(t, stopped, start, where + " SIGTTIN")
    out = t.run("jobs")
    check(re.search(stopped.replace("\\n", ""), out),
          f"{where}: jobs after SIGTTIN: {out!r}")
    start = t.s.mark()
    t.run("kill -KILL %1")
    until_reported(t, killed, start, where + " kill -KILL")
    out = t.run("jobs")
    check("cat" not in out, f"{where}: the job is still listed: {out!r}")


@systest("jobs_bash_zsh_ctrl_z_bg_fg", timeout=480)
def _():
    """Debian's bash-static (-i) and zsh-static (-f), started by hand from
    our shell: the same flow as above on each, over the serial line and as
    QMP keys, then a background `cat` stopped by SIGTTIN and killed."""
    for prog in ("bash", "zsh"):
        check(os.path.exists(os.path.join(LINUX_BIN, prog)),
              f"{LINUX_BIN}/{prog} missing: run tools/fetch-linux-progs.sh")
    img = disk_with("jobs_bash_zsh", {})
    try:
        mtools("mmd", img, "::/bb")
        mtools("mcopy", img, "-o", os.path.join(LINUX_BIN, "bash"),
               os.path.join(LINUX_BIN, "zsh"), "::/bb/")
        with Session(disk_image=img) as s:
            for prog, tag, flag, lines, ttin in (
                    ("bash", "ba", "-i", SH_LINES, BASH_TTIN),
                    ("zsh", "zs", "-f", ZSH_LINES, ZSH_TTIN)):
                prompt = tag + "> " + ANSI + "$"
                start = s.mark()
                s.send(f"PS1='{tag[0]}''{tag[1]}> ' /bb/{prog} {flag}\r"
                       .encode())
                s.wait(prompt, start, timeout=60)
                stop_bg_fg(Typist(s, prompt, keyboard=False),
                           f"{prog} serial", lines)
                stop_bg_fg(Typist(s, prompt, keyboard=True),
                           f"{prog} keyboard", lines)
                background_reader(Typist(s, prompt, keyboard=False), prog,
                                  ttin)
                start = s.mark()
                s.send(b"exit\r")
                s.wait(PROMPT, start, timeout=30)
    finally:
        os.remove(img)
