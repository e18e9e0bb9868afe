#!/bin/sh
# bench/sensor/run.sh [WORKDIR] [PACKETS]: throughput and memory of cshq-sensor with one
# worker, against tcpdump reading the same file in the same run. Builds a Release
# binary in build-bench-sensor/, generates the capture and the indicator sets (10k,
# 100k, 1M per type) in WORKDIR (default /tmp/cshq-sensor-bench; about 1.5 GB), then
# prints a table. Run from anywhere; needs python3, tcpdump, cmake.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/cshq-sensor-bench}
packets=${2:-1000000}
build="$root/build-bench-sensor"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target cshq-sensor -j"$(nproc)" >/dev/null
mkdir -p "$work"
[ -s "$work/bench.pcap" ] || python3 "$root/tests/sensor/gen_capture.py" bench "$work" "$packets"
for n in 10000 100000 1000000; do
  [ -s "$work/iocs-$n-ipdom.csv" ] || python3 "$root/tests/sensor/gen_capture.py" iocs "$work" "$n"
done
exec python3 "$root/bench/sensor/bench.py" "$build/cshq-sensor" "$work"
