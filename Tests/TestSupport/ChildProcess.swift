// Runs a program to completion for a test without holding a thread of Swift's cooperative pool.

import Foundation

/// What a finished child process left: its exit status and everything it wrote.
public struct ChildProcessResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: Data

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs (Python references, `psql`, the project's executables) from async tests.
///
/// Why not `Process.waitUntilExit()` in the test: Swift Testing runs tests on the cooperative pool,
/// which has one thread per core — two on CI. A test blocked on a child for seconds took a thread
/// from every other test, and timers in those tests (a worker's lease watchdog, a lake fence's
/// deadline) fired seconds late. Here the blocking reads and the wait run on threads of their own.
public enum ChildProcess {
    /// Runs `executable` with `arguments`, feeds `input` to its stdin (then closes it), and returns
    /// once it exits. `environment` entries are added to (or replace) this process's.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String] = [:]
    ) async throws -> ChildProcessResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ChildProcessResult, any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runBlocking(executable, arguments, input: input, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "child-process"
            thread.start()
        }
    }

    /// The blocking part, on the caller's thread: stdin is written and stderr drained on threads of
    /// their own, so a child that writes a lot to one stream while we wait on another cannot stall.
    private static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        input: Data?,
        environment: [String: String]
    ) throws -> ChildProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        let writer = Thread {
            if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errors = DrainedPipe(stderr)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ChildProcessResult(status: process.terminationStatus, stdout: output, stderr: errors.wait())
    }
}

/// A pipe read to its end on a thread of its own.
private final class DrainedPipe: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ pipe: Pipe) {
        Thread { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// The pipe's bytes, once its writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
