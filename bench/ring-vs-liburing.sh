#!/bin/sh
# jring's raw ring against liburing, NOPs per second, in interleaved pairs: for each batch size, liburing's
# nopbench.c, then RingNopBenchmark, then liburing again; the ratio is jring over the mean of the two liburing runs
# right beside it, so a machine that speeds up or slows down during the run does not bias it.
# Usage: bench/ring-vs-liburing.sh [PAIRS]   (default 3; needs ../shared/ref/run-nopbench.sh and a built jar)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ref=${JRING_NOPBENCH:-$here/../../shared/ref/run-nopbench.sh}
jar=${JRING_BENCH_JAR:-$here/target/jring-bench.jar}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
pairs=${1:-3}
[ -x "$ref" ] || { echo "ring-vs-liburing: no liburing reference at $ref (set JRING_NOPBENCH)" >&2; exit 2; }
[ -f "$jar" ] || { echo "ring-vs-liburing: no $jar; build it with ./jring bench --help" >&2; exit 2; }
liburing() { "$ref" "$1" 2 | sed -n 's/.*ops\/s=//p'; }
i=0
while [ "$i" -lt "$pairs" ]; do
  i=$((i + 1))
  for b in 1 32; do
    l1=$(liburing "$b")
    j=$("$java" --enable-native-access=ALL-UNNAMED -jar "$jar" jmh "RingNopBenchmark.batch$(printf %02d "$b")\$" \
        -f 1 -wi 3 -w 1 -i 5 -r 1 2>/dev/null |
        awk '/^RingNopBenchmark/ { for (k = 2; k <= NF; k++) if ($k == "±") print $(k - 1) }')
    l2=$(liburing "$b")
    awk -v b="$b" -v l1="$l1" -v l2="$l2" -v j="$j" 'BEGIN {
      printf "batch %2d: liburing %.2f / %.2f M/s, jring %.2f M/s, ratio %.3f\n", b, l1 / 1e6, l2 / 1e6, j / 1e6,
        j / ((l1 + l2) / 2) }'
  done
done
