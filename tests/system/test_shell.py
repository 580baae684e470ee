"""System tests of /bin/sh: scripted sessions typed over the serial
console, each compared with what the shell must print.

Each test boots Ember to the shell's prompt (init starts /bin/sh when it
has no command), types lines with Session.run() and checks the output
text exactly: quoting and variables, pipes and redirections, && and ||,
scripts with loops (sh file and #!), background jobs, ctrl-c of a running
program, history recall (also after a reboot), tab completion, and the
one-line errors with their statuses.

See: tests/system/session.py, docs/userland.md
"""
import os

from harness import check, systest
from session import Session, disk_with, mtools

LOOP_SCRIPT = b"""#!/bin/sh
# counts to $1, then lists its arguments
i=0
while [ $i -lt $1 ]; do
    i=$((i + 1))
    if [ $i = 2 ]; then
        echo two
    else
        echo "i=$i"
    fi
done
for w in "$@" last; do echo "w=$w"; done
exit 3
"""


@systest("shell_quoting_and_variables", timeout=60)
def _():
    with Session() as s:
        s.expect("echo a   b 'c   d' \"e  $HOME\" \\$HOME x\\ y",
                 "a b c   d e  / $HOME x y\n")
        s.expect("X=1; Y=\"two words\"; echo $X ${X}0 \"$Y\" '$Y'",
                 "1 10 two words $Y\n")
        s.expect("for w in $Y; do echo [$w]; done", "[two]\n[words]\n")
        s.expect("echo $((6 * 7)) $?; false; echo $?", "42 0\n1\n")
        s.expect("export Z=exported; sh -c 'echo $Z $X'", "exported\n")
        s.expect("unset Z; sh -c 'echo [$Z]'", "[]\n")
        check(s.run("echo $$").strip().isdigit(), "$$ is not a number")
        # $(...): the output, split outside quotes, newlines kept in an
        # assignment, the trailing ones dropped, nested, and its status.
        s.expect("echo [$(echo 'a   b')] \"[$(echo 'a   b')]\"",
                 "[a b] [a   b]\n")
        s.expect("x=$(seq 3); echo \"$x\"; echo $x", "1\n2\n3\n1 2 3\n")
        s.expect("echo \"<$(printf 'x\\n\\n\\n')>\"", "<x>\n")
        s.expect("echo $(echo $(echo nested) twice)", "nested twice\n")
        s.expect("for f in $(seq 2); do echo n$f; done", "n1\nn2\n")
        s.expect("v=$(false); echo $?; v=$(true); echo $?", "1\n0\n")


@systest("shell_pipes_redirections_and_or", timeout=60)
def _():
    with Session() as s:
        s.run("cd /scratch")
        s.expect("echo one two three | wc -w | cat", "3\n")
        s.expect("echo first > f.txt; echo second >> f.txt; cat < f.txt",
                 "first\nsecond\n")
        s.expect("cat nosuch 2> err.txt; cat err.txt",
                 "cat: nosuch: No such file or directory\n")
        s.expect("cat nosuch 2>&1 | wc -l", "1\n")
        s.expect("true && echo yes || echo no", "yes\n")
        s.expect("false && echo yes || echo no", "no\n")
        s.expect("grep sec f.txt && echo found", "second\nfound\n")
        s.expect("pwd", "/scratch\n")


@systest("shell_scripts_with_loops", timeout=60)
def _():
    img = disk_with("shell_scripts", {
        "loop.sh": LOOP_SCRIPT,
        "vars.sh": b"GREETING=hello\necho sourced $1 $2 $#\n",
        "shift.sh": b"while [ $# -gt 0 ]; do echo \"$1\"; shift; done\n"
                    b"shift; echo $?\n"})
    try:
        with Session(disk_image=img) as s:
            want = "i=1\ntwo\ni=3\nw=3\nw=x y\nw=last\n"
            s.expect("sh /scratch/loop.sh 3 'x y'; echo status $?",
                     want + "status 3\n")
            s.expect("cd /scratch; ./loop.sh 3 'x y'", want)
            s.expect(". /scratch/vars.sh a b; echo $GREETING $1",
                     "sourced a b 2\nhello\n")
            # A shift past the end is an error that ends a script, as
            # in dash (status 2).
            s.expect("sh shift.sh 'a b' c 2>/dev/null; echo $?",
                     "a b\nc\n2\n")
    finally:
        os.remove(img)


@systest("shell_background_jobs_and_ctrl_c", timeout=60)
def _():
    with Session() as s:
        out = s.run("sleep 1 &")
        check(out.startswith("[1] "), f"no job line: {out!r}")
        s.expect("jobs", "[1]+  Running                 sleep 1 &\n")
        # It ends during a foreground sleep (guest time, so no race), and
        # its Done line comes before the next prompt.
        s.expect("sleep 2", "[1]+  Done                    sleep 1\n")
        s.run("sleep 2 &")
        s.expect("fg", "sleep 2\n")
        # ctrl-c ends the foreground job and leaves the shell running.
        start = s.mark()
        s.send(b"sleep 100\r")
        s.pause(1)
        s.send(b"\x03")
        s.wait(r"\$ \x1b\[K$", start, timeout=10)
        s.expect("echo $?", "130\n")
        # A loop stops at ctrl-c too.
        start = s.mark()
        s.send(b"while true; do sleep 1; done\r")
        s.pause(1.5)
        s.send(b"\x03")
        s.wait(r"\$ \x1b\[K$", start, timeout=10)
        s.expect("echo alive", "alive\n")


@systest("shell_history_and_completion", timeout=90)
def _():
    img = disk_with("shell_history", {"hello-there.txt": b"hi from file\n"})
    try:
        with Session(disk_image=img) as s:
            s.expect("echo recall me", "recall me\n")
            s.expect("\x1b[A", "recall me\n")      # up arrow, Enter
            s.expect("ech\t tab", "tab\n")        # a command name
            s.expect("cat /scratch/hello\t", "hi from file\n")  # a file
            s.expect("cd /scr\t; pwd", "/scratch\n")  # a folder gets '/'
            # left, left, X; ctrl-a, e; ctrl-e, Z
            s.expect("cho abc\x1b[D\x1b[DX\x01e\x05Z", "aXbcZ\n")
            s.run("history")
            s.run("sync")
            s.guest.send_serial(b"poweroff\r")
            s.guest.wait_exit(30)
            s.guest.keep_disk(img)
        history = mtools("mtype", img, "::/.sh_history").decode()
        check("echo recall me\n" in history, f"history file: {history!r}")
        with Session(disk_image=img, name="shell_history.2") as s:
            # After a reboot, up arrow still recalls the lines typed
            # before: poweroff, sync, history, then the edited echo.
            s.expect("\x1b[A" * 4, "aXbcZ\n")
    finally:
        os.remove(img)


@systest("shell_errors", timeout=60)
def _():
    img = disk_with("shell_errors", {"notelf": b"plain text\n"})
    try:
        with Session(disk_image=img) as s:
            s.expect("nosuch; echo $?",
                     "sh: nosuch: command not found\n127\n")
            s.expect("/scratch/notelf; echo $?", "sh: /scratch/notelf: "
                     "cannot execute: not an ELF file nor a #! script\n126\n")
            s.expect("/nope/x; echo $?",
                     "sh: /nope/x: No such file or directory\n127\n")
            s.expect("if then", "sh: syntax error near unexpected token "
                     "'then'\n")
            s.expect("echo >", "sh: syntax error near unexpected token "
                     "'newline'\n")
            s.expect("echo $?", "2\n")
            s.expect("cd /nope", "sh: cd: /nope: No such file or directory\n")
            s.expect("cat < /nope", "sh: /nope: No such file or directory\n")
            s.expect("fi", "sh: syntax error near unexpected token 'fi'\n")
            # One message and status 1; the command is not run (#18).
            s.expect("echo $((7/0)); echo $?",
                     "sh: 7/0: division by zero\n1\n")
            s.expect("x=$((2 +)); echo $?",
                     "sh: 2 +: bad arithmetic expression\n1\n")
            s.expect("echo still here", "still here\n")
    finally:
        os.remove(img)
