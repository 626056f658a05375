# Sourced by the benchmark scripts: devchain start-up, CPU pinning, timing and rate helpers.

# CPU pinning. On a machine with 2 or more cores, devchain runs on one core and the measured
# program (ethereum-etl, the worker, the fleet, the ceiling) on the others, so a figure measures
# the program and not its fight with the node for a core. BLOCKFLEET_BENCH_PIN=0 (or a script's
# --no-pin flag) turns it off; taskset (util-linux) is needed for it.
# Sets MEASURED (a command prefix, empty when not pinning) and prints what it chose.
DEVCHAIN_PIN=()
MEASURED=()
setup_pinning() {
    local cores
    cores="$(nproc)"
    DEVCHAIN_PIN=()
    MEASURED=()
    if [ "${BLOCKFLEET_BENCH_PIN:-1}" != 0 ] && [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
        DEVCHAIN_PIN=(taskset -c 0)
        MEASURED=(taskset -c "1-$((cores - 1))")
        echo "pinning: devchain on CPU 0, measured programs on CPU 1-$((cores - 1)) of $cores (disable: --no-pin or BLOCKFLEET_BENCH_PIN=0)" >&2
    else
        echo "pinning: off ($cores cores; devchain and the measured programs share them)" >&2
    fi
}

# start_devchain LOG ARGS…: starts a devchain on a free port with ARGS, waits until it listens,
# sets DEVCHAIN_PID and DEVCHAIN_URL. The caller kills DEVCHAIN_PID on exit.
start_devchain() {
    local log="$1"
    shift
    "${DEVCHAIN_PIN[@]}" "$BIN/devchain" --port 0 "$@" >"$log" 2>&1 &
    DEVCHAIN_PID=$!
    # --precompute renders the whole chain first: allow for that.
    for _ in $(seq 1 3000); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.1; done
    grep -q "listening on" "$log" || { echo "devchain did not start: $(cat "$log")" >&2; exit 1; }
    DEVCHAIN_URL="http://$(grep -o '127.0.0.1:[0-9]*' "$log" | head -1)"
}

seconds() { python3 -c "import time; print(time.time())"; }
# rate FIRST_SECONDS LAST_SECONDS: blocks/s for $BLOCKS blocks.
rate() { python3 -c "print(f'{$BLOCKS / ($2 - $1):8.1f}')"; }
peak_rss() { awk '/Maximum resident/ {printf "%.0f MB", $6 / 1024}' "$1"; }
# cpu_us_per_block TIME_FILE: user + system CPU microseconds per block from `/usr/bin/time -v`
# output: the figure a worker pod is sized by, and steadier than wall time on a busy machine.
cpu_us_per_block() { awk -v blocks="$BLOCKS" '/User time/ {u = $4} /System time/ {s = $4} END {printf "%.0f", (u + s) / blocks * 1e6}' "$1"; }
# cpu_per_block TIMEFILE: user+sys CPU seconds of a `/usr/bin/time -v` run and µs per block of $BLOCKS
# (a busy shared machine stretches wall time more than CPU time).
cpu_per_block() {
    awk -v blocks="$BLOCKS" '/User time/ {u = $NF} /System time/ {s = $NF} END {printf "CPU %.2f s (%.0f us/block)", u + s, (u + s) * 1e6 / blocks}' "$1"
}

# run_fleet WORKERS FOLDER ENTITIES: exports blocks 0…$LAST through the queue with WORKERS export-only
# worker processes (concurrency 2 each, 250-block ranges, file:// staging) against $URL, in a
# database of its own; prints "START END" seconds (first worker start to last export done) and
# leaves one FOLDER/ENTITY.csv per entity, concatenated from the staged gzip files.
run_fleet() {
    local workers="$1" folder="$2" entities="$3" server database t0 t1 pids=()
    server="$(scripts/postgres url)"
    database="${server%%\?*}"
    database="${database%/*}/bench_fleet?sslmode=disable"
    psql -X -q "$server" -c "DROP DATABASE IF EXISTS bench_fleet WITH (FORCE)" -c "CREATE DATABASE bench_fleet" >&2
    mkdir -p "$folder/staging"
    (
        export BLOCKFLEET_DATABASE_URL="$database" BLOCKFLEET_RPC_URLS="$URL" \
            BLOCKFLEET_STAGING_URL="file://$folder/staging" BLOCKFLEET_SCRATCH_DIR="$folder/scratch" \
            BLOCKFLEET_WORKER_KINDS=export BLOCKFLEET_LOG_LEVEL=warning BLOCKFLEET_HTTP_PORT=0
        "${MEASURED[@]}" "$BIN/coordinator" migrate >&2
        "${MEASURED[@]}" "$BIN/coordinator" plan --from 0 --to "$LAST" --chunk-size 250 --entities "$entities" >&2
        t0=$(seconds)
        for n in $(seq 1 "$workers"); do
            "${MEASURED[@]}" "$BIN/worker" --id "bench-$n" --concurrency 2 >"$folder/worker-$n.log" 2>&1 &
            pids+=($!)
        done
        until [ "$(psql -X -A -t "$database" -c "SELECT count(*) FROM jobs WHERE kind = 'export' AND state <> 'succeeded'")" = 0 ]; do
            sleep 0.2
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a fleet worker exited: see $folder" >&2; exit 1; }; done
        done
        t1=$(seconds)
        kill "${pids[@]}" 2>/dev/null || true
        wait 2>/dev/null || true
        echo "$t0 $t1"
    )
    for entity in ${entities//,/ }; do
        local first=1
        # Staged keys are ENTITY/FIRST-LAST/jJOB-aTOKEN.csv.gz (fenced per attempt): the ranges in
        # order, and in each the last attempt's file (the one a completed job's manifest names).
        for range in "$folder/staging/$entity"/*/; do
            file="$(printf '%s\n' "$range"*.csv.gz | sort -V | tail -n 1)"
            if [ "$first" = 1 ]; then gzip -dc "$file"; first=0; else gzip -dc "$file" | tail -n +2; fi
        done >"$folder/$entity.csv"
    done
}
