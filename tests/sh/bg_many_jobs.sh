# The sh corpus (see README.md): more background jobs than the job table holds, against dash.
i=0
while [ $i -lt 40 ]; do
  true &
  i=$((i + 1))
done
wait
echo all $i started
: > f &
wait $!
echo last $?
