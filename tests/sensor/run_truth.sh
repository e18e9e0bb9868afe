#!/bin/sh
# run_truth.sh SENSOR WORKDIR [WORKERS]: generates the ground-truth captures, runs the
# sensor over all of them and compares its alerts with the truth exactly.
set -eu
sensor=$1; work=$2; workers=${3:-1}
here=$(dirname "$0")
rm -rf "$work"; mkdir -p "$work"
python3 "$here/gen_capture.py" truth "$work" >/dev/null
cd "$work"
"$sensor" --no-progress --workers "$workers" --sensor-id truth-test \
  --read truth-eth.pcap --read truth-eth.pcapng --read truth-sll.pcap \
  --read truth-sll2.pcapng --read truth-raw.pcap \
  --indicators indicators.csv --indicators indicators.stix.json --indicators indicators.txt \
  --eve eve.json
python3 "$here/check_truth.py" truth.jsonl eve.json --sensor truth-test
