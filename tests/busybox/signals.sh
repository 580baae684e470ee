# Debian's busybox ash on what it needs of signals and poll: a read loop
# (ash polls before each byte), a trap on SIGINT, a background job and
# wait (SIGCHLD and rt_sigsuspend), a job killed, and a trap that ends a
# wait. Run by tests/system/test_busybox.py on Linux and in Ember; the
# two outputs must be the same. $1: the result file.
exec > "$1" 2>&1
printf 'a\nb c\n\nd\n' > f
while read x; do echo "<$x>"; done < f
echo "read loop: $?"
read y < f
echo "read one: $? <$y>"
trap "echo trapped" INT
kill -INT $$
echo "after trap"
trap - INT
sleep 1 & wait
echo "sleep and wait: $?"
sleep 5 & kill $!
# ash prints "Terminated" to stderr only if this wait is what reaps the
# job; if the job died first and the shell reaped it after `kill`, it
# prints nothing. Which comes first is up to the scheduler (Linux lets the
# killed task run at once; Ember runs it after the shell's slice), so the
# line is left out and the status compared.
wait $! 2>/dev/null
echo "killed job: $?"
trap 'echo got USR1' USR1
( sleep 1; kill -USR1 $$ ) &
wait
echo "wait after USR1: $?"
wait
echo "end"
