// The coordinator's status page, rendered by a real browser (headless Chromium from Debian).

import Foundation
import Shared
import Testing

@Suite("Status page", .serialized)
struct StatusPageTests {
    static let chromium = Ops.which("chromium", "chromium-browser", "google-chrome")

    /// Chromium flags for a headless run as root in a container, with a profile of its own.
    static func chromiumArguments(_ profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)"]
    }

    @Test("headless Chromium renders the progress picture, the queue, workers and dead jobs; the screenshot is a PNG",
          .enabled(if: chromium != nil, "chromium is not installed here (apt-get install chromium; .ci/run installs it)"))
    func renderedInABrowser() async throws {
        let chromium = try #require(Self.chromium)
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 999, chunkSize: 100, maxAttempts: 1))
            let claimed = try await db.queue.claim(kinds: [.export], limit: 7, owner: "page-worker", lease: .seconds(600))
            for job in claimed.prefix(5) {
                try await db.queue.complete(JobCompletion(lease: job.lease, result: ReorgGuardTests.result(job.firstBlock, job.lastBlock)))
            }
            try await db.queue.fail(claimed[5].lease, attempt: 1, message: "block 512: receipts name another block hash", retryable: false)
            try await WorkerRegistry(client: db.client, logger: db.logger).register(id: "page-worker", host: "test", pid: 1, kinds: [.export], concurrency: 2)

            let port = try Ops.freePort()
            let coordinator = try FleetProcess("coordinator", ["serve", "--http-port", "\(port)"], environment: ["BLOCKFLEET_DATABASE_URL": db.url])
            let url = "http://127.0.0.1:\(port)/"
            try await eventually("the status page to answer") { await Ops.get(url)?.status == 200 }

            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("blockfleet-chromium-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: profile) }
            let dump = try await Ops.run(chromium, Self.chromiumArguments(profile) + ["--dump-dom", url])
            #expect(dump.status == 0, "\(dump.output)")
            let dom = dump.output
            #expect(dom.contains(#"<svg id="progress""#), "\(dom)")
            #expect(dom.contains(#"class="segment succeeded" data-first="0" data-last="499""#), "\(dom)")
            #expect(dom.contains(#"class="segment dead" data-first="500" data-last="599""#))
            #expect(dom.contains(#"class="segment running" data-first="600" data-last="699""#))
            #expect(dom.contains(#"class="segment pending" data-first="700" data-last="999""#))
            #expect(dom.contains(#"http-equiv="refresh""#))
            #expect(dom.contains("page-worker") && dom.contains(#"class="worker live""#))
            #expect(dom.contains("receipts name another block hash"))
            #expect(dom.contains(">50.0 %<"), "half the planned blocks are exported")
            #expect(!dom.contains("src=\"http"), "no external assets")

            let screenshot = profile.appendingPathComponent("status.png")
            let shot = try await Ops.run(chromium, Self.chromiumArguments(profile) + ["--window-size=1200,900", "--screenshot=\(screenshot.path)", url])
            #expect(shot.status == 0, "\(shot.output)")
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(png.count) bytes")
            if let keep = ProcessInfo.processInfo.environment["BLOCKFLEET_SCREENSHOT_DIR"] {
                try? png.write(to: URL(fileURLWithPath: keep).appendingPathComponent("status-page.png"))
            }

            coordinator.signal(SIGTERM)
            #expect(try await coordinator.waitForExit() == 0, "coordinator log:\n\(coordinator.log)")
        }
    }

    @Test("markup in a dead job's last error and in a worker id renders escaped")
    func markupIsEscaped() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 99, chunkSize: 100, maxAttempts: 1))
            let job = try #require(try await db.queue.claim(kinds: [.export], limit: 1, owner: "w", lease: .seconds(600)).first)
            try await db.queue.fail(job.lease, attempt: 1, message: "<script>alert('error')</script>", retryable: false)
            let registry = WorkerRegistry(client: db.client, logger: db.logger)
            try await registry.register(id: "<script>alert('worker')</script>", host: "h", pid: 1, kinds: [.export], concurrency: 1)

            let page = try await StatusPage.load(from: db.queue, registry: registry, chainTip: nil).render()
            #expect(!page.lowercased().contains("<script"), "\(page)")
            #expect(page.contains("&lt;script&gt;alert(&#39;error&#39;)&lt;/script&gt;") || page.contains("&lt;script&gt;alert('error')&lt;/script&gt;"), "\(page)")
            #expect(page.contains("&lt;script&gt;alert(&#39;worker&#39;)&lt;/script&gt;") || page.contains("&lt;script&gt;alert('worker')&lt;/script&gt;"), "\(page)")
        }
    }
}
