#!/usr/bin/env python3
"""Chaos run for BlockFleet: the fleet exports, stages and loads a range while workers are killed,
frozen past their lease, Postgres restarts and the nodes fail requests; afterwards the warehouse
must hold exactly what a fault-free run of the same range holds. Driven by Benchmarks/chaos."""
import argparse
import os
import random
import re
import signal
import subprocess
import sys
import time

ENTITIES = "blocks,transactions,receipts,logs,token_transfers"
TABLES = ["blocks", "transactions", "receipts", "logs", "token_transfers"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Run:
    """One fleet run (coordinator + workers + devchain replicas) over its own queue database and
    warehouse schema, in one folder of logs."""

    def __init__(self, args, name, faults):
        self.args, self.name, self.faults = args, name, faults
        self.folder = os.path.join(args.work, name)
        os.makedirs(self.folder, exist_ok=True)
        self.database = f"chaos_{name}"
        self.url = args.server_url.rsplit("/", 1)[0] + "/" + self.database + "?sslmode=disable"
        self.processes = []
        self.workers = {}
        self.worker_serial = 0
        self.figures = {"kills": 0, "replacements": 0, "freezes": 0, "postgres restarts": 0}

    def psql(self, sql, url=None):
        out = subprocess.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", url or self.url, "-c", sql],
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def environment(self):
        env = dict(os.environ)
        env.update({
            "BLOCKFLEET_DATABASE_URL": self.url,
            "BLOCKFLEET_STAGING_URL": "file://" + os.path.join(self.folder, "staging"),
            "BLOCKFLEET_SCRATCH_DIR": os.path.join(self.folder, "scratch"),
            "BLOCKFLEET_WAREHOUSE_SCHEMA": "ethereum",
            "BLOCKFLEET_RPC_URLS": ",".join(self.rpc_urls),
            "BLOCKFLEET_LEASE_SECONDS": str(self.args.lease_seconds),
            "BLOCKFLEET_RETRY_BASE_SECONDS": "1",
            "BLOCKFLEET_RETRY_MAX_SECONDS": "10",
            "BLOCKFLEET_REAP_SECONDS": "2",
            "BLOCKFLEET_LOG_LEVEL": "info",
            "BLOCKFLEET_HTTP_PORT": "0",  # many processes on one machine: no fixed metrics port
        })
        env.pop("BLOCKFLEET_WAREHOUSE_URL", None)
        return env

    def start(self, argv, log_name):
        handle = open(os.path.join(self.folder, log_name), "ab")
        process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, env=self.environment())
        self.processes.append(process)
        return process

    def start_devchains(self):
        self.rpc_urls = []
        for n in range(2):
            argv = [os.path.join(self.args.bin, "devchain"), "--seed", "1", "--blocks", str(self.args.blocks),
                    "--txs-per-block", str(self.args.txs), "--port", "0"]
            if self.faults:
                argv += ["--error-rate", "0.05", "--fault-seed", str(n + 1)]
                if n == 1:
                    argv += ["--lag-blocks", str(self.args.blocks // 2)]  # a replica far behind
            path = os.path.join(self.folder, f"devchain-{n}.log")
            handle = open(path, "wb")
            self.processes.append(subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT))
            deadline = time.time() + 30
            while time.time() < deadline:
                text = open(path).read()
                if "listening on" in text:
                    break
                time.sleep(0.1)
            else:
                raise SystemExit(f"devchain {n} did not start: see {path}")
            self.rpc_urls.append("http://" + re.search(r"127\.0\.0\.1:[0-9]+", text).group(0))

    def start_worker(self):
        self.worker_serial += 1
        worker_id = f"{self.name}-w{self.worker_serial}"
        process = self.start([os.path.join(self.args.bin, "worker"), "--id", worker_id, "--concurrency", "2"],
                             f"worker-{self.worker_serial}.log")
        self.workers[worker_id] = process

    def queue_idle(self):
        busy = self.psql("SELECT count(*) FROM jobs WHERE state IN ('pending', 'running', 'retrying')")
        return busy == "0"

    def run(self):
        """Runs the range through the fleet until the queue drains; stops what it started, however it ends."""
        try:
            self.drive()
        finally:
            self.stop()

    def drive(self):
        started = time.time()
        self.psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)", url=self.args.server_url)
        self.psql(f"CREATE DATABASE {self.database}", url=self.args.server_url)
        self.start_devchains()
        binary = self.args.bin
        env = self.environment()
        subprocess.run([os.path.join(binary, "coordinator"), "migrate"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(binary, "coordinator"), "plan", "--from", "0", "--to", str(self.args.blocks - 1),
                        "--chunk-size", str(self.args.chunk_size), "--entities", ENTITIES],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        self.start([os.path.join(binary, "coordinator"), "serve"], "coordinator.log")
        for _ in range(self.args.workers):
            self.start_worker()
        if self.faults:
            self.chaos()
        deadline = time.time() + self.args.drain_timeout
        while not self.queue_idle():
            if time.time() > deadline:
                raise SystemExit(f"{self.name}: the queue did not drain within {self.args.drain_timeout} s")
            time.sleep(1)
        self.figures["wall time (s)"] = round(time.time() - started, 1)

    def chaos(self):
        """Kills, a freeze past the lease and one Postgres restart, for a bounded time."""
        rng = random.Random(self.args.chaos_seed)
        end = time.time() + self.args.chaos_seconds
        froze = restarted = False
        while time.time() < end and not self.queue_idle():
            time.sleep(rng.uniform(2, 5))
            victim_id = rng.choice(sorted(self.workers))
            victim = self.workers.pop(victim_id)
            if not froze:
                froze = True
                # Frozen past its lease: its jobs are reaped and re-run; when it wakes, its writes
                # must be refused (fencing) and it carries on with new claims.
                log(f"SIGSTOP {victim_id} for {self.args.lease_seconds + 5} s")
                victim.send_signal(signal.SIGSTOP)
                self.figures["freezes"] += 1
                self.start_worker()
                time.sleep(self.args.lease_seconds + 5)
                victim.send_signal(signal.SIGCONT)
                self.workers[victim_id] = victim
                continue
            log(f"SIGKILL {victim_id}")
            victim.kill()
            victim.wait()
            self.figures["kills"] += 1
            self.start_worker()
            self.figures["replacements"] += 1
            if not restarted and time.time() > end - self.args.chaos_seconds / 2:
                restarted = True
                log("restarting PostgreSQL")
                subprocess.run([self.args.postgres_script, "stop"], check=True, stdout=subprocess.DEVNULL)
                time.sleep(3)
                subprocess.run([self.args.postgres_script, "start"], check=True, stdout=subprocess.DEVNULL)
                self.figures["postgres restarts"] += 1

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()

    def counts(self):
        return {table: int(self.psql(f"SELECT count(*) FROM ethereum.{table}")) for table in TABLES}

    def lease_losses(self):
        total = 0
        for name in os.listdir(self.folder):
            if name.startswith("coordinator"):
                total += open(os.path.join(self.folder, name), errors="replace").read().count("reaped an expired lease")
        return total

    def checks(self, expected):
        problems = []
        counts = self.counts()
        if expected is not None and counts != expected:
            problems.append(f"row counts {counts} differ from the fault-free run's {expected}")
        if counts["blocks"] != self.args.blocks:
            problems.append(f"{counts['blocks']} blocks loaded, expected {self.args.blocks}")
        duplicates = {
            "blocks by number": "SELECT count(*) - count(DISTINCT number) FROM ethereum.blocks",
            "transactions by hash": "SELECT count(*) - count(DISTINCT hash) FROM ethereum.transactions",
            "logs by (block_number, log_index)":
                "SELECT count(*) FROM (SELECT 1 FROM ethereum.logs GROUP BY block_number, log_index HAVING count(*) > 1) d",
        }
        for what, sql in duplicates.items():
            if self.psql(sql) != "0":
                problems.append(f"duplicate {what}: {self.psql(sql)}")
        dead = self.psql("SELECT count(*) FROM jobs WHERE state IN ('dead', 'cancelled')")
        if dead != "0":
            problems.append(f"{dead} dead or cancelled jobs: "
                            + self.psql("SELECT string_agg(DISTINCT left(last_error, 160), ' | ') FROM jobs WHERE state = 'dead'"))
        exports = self.psql("SELECT count(*) FILTER (WHERE state = 'succeeded') || '/' || count(*) FROM jobs WHERE kind = 'export'")
        done, planned = exports.split("/")
        if done != planned:
            problems.append(f"only {done} of {planned} export ranges succeeded")
        entity_count = len(ENTITIES.split(","))
        loads = self.psql("SELECT count(*) FROM jobs WHERE kind = 'load' AND state = 'succeeded'")
        if int(loads) != int(planned) * entity_count:
            problems.append(f"{loads} load jobs succeeded, expected {int(planned) * entity_count} (one per entity and range)")
        # Every range's model job ran (verify passed) and the enriched table holds every transaction.
        models = self.psql("SELECT count(*) FROM jobs WHERE kind = 'model' AND state = 'succeeded'")
        if models != planned:
            problems.append(f"{models} model jobs succeeded, expected {planned} (one per range)")
        enriched = self.psql("SELECT (SELECT count(*) FROM ethereum.enriched_transactions) - (SELECT count(*) FROM ethereum.transactions)")
        if enriched != "0":
            problems.append(f"enriched_transactions differs from transactions by {enriched} rows")
        retries = self.psql("SELECT COALESCE(sum(GREATEST(attempts - 1, 0)), 0) FROM jobs")
        self.figures["retries (attempts beyond the first)"] = int(retries)
        self.figures["lease losses (reaped)"] = self.lease_losses()
        return counts, problems


def main():
    # Interrupted or timed out: unwind through the `finally` blocks, which stop what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--server-url", required=True, help="URL of any database on the local server")
    parser.add_argument("--postgres-script", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--blocks", type=int, default=50_000)
    parser.add_argument("--txs", type=int, default=10)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--lease-seconds", type=int, default=10)
    parser.add_argument("--chaos-seconds", type=float, default=90)
    parser.add_argument("--chaos-seed", type=int, default=7)
    parser.add_argument("--drain-timeout", type=float, default=1800)
    parser.add_argument("--skip-clean", action="store_true", help="compare with invariants only")
    args = parser.parse_args()

    expected = None
    if not args.skip_clean:
        log(f"fault-free run: {args.blocks} blocks x {args.txs} transactions, {args.workers} workers")
        clean = Run(args, "clean", faults=False)
        clean.run()
        expected, problems = clean.checks(None)
        if problems:
            print("the fault-free run itself is wrong:\n  " + "\n  ".join(problems))
            return 1
        print(f"fault-free run: {clean.figures['wall time (s)']} s, rows {expected}")

    log("chaos run")
    chaos = Run(args, "faults", faults=True)
    chaos.run()
    counts, problems = chaos.checks(expected)
    print(f"chaos run ({os.cpu_count()} cores, {args.workers} workers, {args.blocks} blocks, "
          f"5% node errors, one replica {args.blocks // 2} blocks behind):")
    for name, value in chaos.figures.items():
        print(f"  {name:40} {value}")
    print(f"  {'warehouse rows':40} {counts}")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    print("nothing lost, nothing doubled, no dead jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
