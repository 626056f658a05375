// `worker export` as users run it: the real executable against a devchain over HTTP.

import Foundation
import TestSupport
import Testing

@Suite("worker export (the no-queue CLI)", .serialized)
struct ExportCommandTests {
    /// Runs `worker export` to completion with `arguments`; returns the exit status and output.
    func export(_ arguments: [String]) async throws -> (status: Int32, log: String) {
        let worker = try FleetProcess("worker", ["export"] + arguments)
        let status = try await worker.waitForExit(timeout: .seconds(60))
        return (status, worker.log)
    }

    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bf-export-cli-\(UUID().uuidString)")
    }

    @Test("writes one CSV per entity and a line per file; --fsync writes the same files, --gzip them compressed; the ceiling sends the same calls")
    func exportsFiles() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "4", "--blocks", "120", "--txs-per-block", "20"])
        defer { node.signal(SIGTERM) }
        let plain = folder(), flushed = folder()
        defer { for url in [plain, flushed] { try? FileManager.default.removeItem(at: url) } }
        let common = ["--from", "3", "--to", "110", "--rpc-url", url, "--window", "16"]

        let first = try await export(common + ["--output", plain.path])
        #expect(first.status == 0, "\(first.log)")
        let second = try await export(common + ["--output", flushed.path, "--fsync"])
        #expect(second.status == 0, "\(second.log)")

        let names = try FileManager.default.contentsOfDirectory(atPath: plain.path).sorted()
        #expect(names == ["blocks.csv", "logs.csv", "receipts.csv", "token_transfers.csv", "transactions.csv"],
                "no working folder or other file is left behind")
        for name in names {
            let bytes = try Data(contentsOf: plain.appendingPathComponent(name))
            #expect(bytes == (try Data(contentsOf: flushed.appendingPathComponent(name))), "\(name) differs with --fsync")
            #expect(first.log.contains("\(name.dropLast(4)): "), "a summary line for \(name):\n\(first.log)")
        }
        let blocks = try String(contentsOf: plain.appendingPathComponent("blocks.csv"), encoding: .utf8)
        #expect(blocks.split(separator: "\r\n").count == 1 + 108, "a header and blocks 3…110")
        #expect(first.log.contains("exported 108 blocks"), "\(first.log)")
        #expect(!first.log.contains("\r") && !first.log.contains("108 blocks (100.0 %)"), "no progress line when stderr is a file:\n\(first.log)")

        // --gzip: the same bytes, gzip-compressed (read back by the system's gzip, as Redshift's GZIP reads staged files).
        let compressed = folder()
        defer { try? FileManager.default.removeItem(at: compressed) }
        let zipped = try await export(common + ["--output", compressed.path, "--gzip"])
        #expect(zipped.status == 0, "\(zipped.log)")
        let zippedNames = try FileManager.default.contentsOfDirectory(atPath: compressed.path).sorted()
        #expect(zippedNames == names.map { $0 + ".gz" })
        for name in names {
            let unzipped = try await ChildProcess.run("/bin/sh", ["-c", "exec gzip -dc \"$0\"", compressed.appendingPathComponent(name + ".gz").path])
            let original = try Data(contentsOf: plain.appendingPathComponent(name))
            #expect(unzipped.status == 0 && unzipped.stdout == original, "\(name).gz is not \(name) gzip-compressed")
        }

        let ceiling = try await export(common + ["--output", folder().path, "--fetch-only"])
        #expect(ceiling.status == 0, "\(ceiling.log)")
        #expect(ceiling.log.contains("fetched and discarded 108 blocks"), "\(ceiling.log)")
        // With traces among the entities the ceiling fetches them too (trace_block, or geth's
        // debug_traceBlockByNumber with --trace-source geth): more bytes than the blocks alone.
        func fetched(_ entities: String, _ extra: [String] = []) async throws -> Int {
            let run = try await export(common + ["--output", folder().path, "--fetch-only", "--entities", entities] + extra)
            #expect(run.status == 0, "\(run.log)")
            let bytes = run.log.firstMatch(of: /discarded 108 blocks \((\d+) bytes/).flatMap { Int($0.1) }
            return try #require(bytes, "\(run.log)")
        }
        let blocksOnly = try await fetched("blocks")
        #expect(try await fetched("blocks,traces") > blocksOnly)
        #expect(try await fetched("blocks,traces", ["--trace-source", "geth"]) > blocksOnly)
    }

    @Test("on a terminal (a pseudo-terminal from util-linux `script`) it redraws a progress line: blocks done, rate, ETA")
    func progressOnATerminal() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "5", "--blocks", "300", "--txs-per-block", "10"])
        defer { node.signal(SIGTERM) }
        let output = folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let worker = FleetProcess.binDirectory.appendingPathComponent("worker").path
        let command = "\(worker) export --from 0 --to 299 --rpc-url \(url) --output \(output.path) --window 5 --windows-in-flight 1"
        let terminal = try FleetProcess("/usr/bin/script", ["-qefc", command, "/dev/null"], absolute: true)
        #expect(try await terminal.waitForExit(timeout: .seconds(60)) == 0, "\(terminal.log)")
        let log = terminal.log
        // Redrawn in place (carriage return, clear line), ending on the whole range.
        #expect(log.contains("\r\u{1B}[K") && log.contains("300/300 blocks (100.0 %)"), "\(log)")
        #expect(log.contains("exported 300 blocks"), "\(log)")
    }

    @Test("bad flags stop it with a message naming the flag, and write nothing")
    func rejectsBadFlags() async throws {
        let output = folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let cases: [([String], String)] = [
            (["--from", "9", "--to", "2"], "--from (9) must not be greater than --to (2)"),
            (["--from", "0", "--to", "2", "--format", "xml"], "--format must be one of csv, json, parquet, got 'xml'"),
            (["--from", "0", "--to", "2", "--window", "0"], "--window and --windows-in-flight must be greater than 0"),
            (["--from", "0", "--to", "2", "--entities", "blocks,uncles"], "unknown entity 'uncles'"),
            (["--from", "0", "--to", "2", "--rpc-url", "ftp://node"], "--rpc-url"),
            (["--from", "0", "--to", "2", "--format", "parquet", "--gzip"], "--gzip is for csv and json"),
        ]
        for (arguments, expected) in cases {
            let result = try await export(arguments + ["--output", output.path])
            #expect(result.status != 0, "\(arguments) should fail")
            #expect(result.log.contains(expected), "\(arguments) printed:\n\(result.log)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
