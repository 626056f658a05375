// worker export's progress line: what it says and how often.

import Shared
import Testing

@Suite("Export progress line")
struct ExportProgressLineTests {
    @Test("blocks done, share, rate over the run so far and ETA; no rate in the first second; no ETA when done")
    func text() {
        #expect(ExportProgressLine.text(done: 1200, total: 10000, elapsed: .seconds(2)) == "1200/10000 blocks (12.0 %)  600 blocks/s  ETA 15s")
        #expect(ExportProgressLine.text(done: 50, total: 10000, elapsed: .milliseconds(400)) == "50/10000 blocks (0.5 %)")
        #expect(ExportProgressLine.text(done: 10000, total: 10000, elapsed: .seconds(20)) == "10000/10000 blocks (100.0 %)  500 blocks/s")
        #expect(ExportProgressLine.text(done: 100, total: 1_000_000, elapsed: .seconds(10)) == "100/1000000 blocks (0.0 %)  10 blocks/s  ETA 27h46m")
    }

    @Test("at most one line per interval, but always the last one")
    func throttled() {
        var line = ExportProgressLine(total: 100, interval: .milliseconds(250))
        let start = ContinuousClock.now
        #expect(line.update(done: 10, elapsed: .seconds(1), now: start) != nil)
        #expect(line.update(done: 20, elapsed: .seconds(1), now: start + .milliseconds(100)) == nil)
        #expect(line.update(done: 30, elapsed: .seconds(1), now: start + .milliseconds(300)) != nil)
        #expect(line.update(done: 100, elapsed: .seconds(1), now: start + .milliseconds(310)) != nil, "the last block always shows")
    }
}
