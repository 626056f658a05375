// Choosing, window by window, between the CSV transcoder and the decoding path.

import Logging
import Synchronization

/// One export's use of `CSVTranscoder`: each window is fetched as bytes and transcoded; a window
/// the transcoder declines is fetched again through the decoding path, which then writes it or
/// fails it with its usual error. A node without `eth_getBlockReceipts`, or a batch the fast
/// reader cannot take, turns the transcoder off for the rest of the range, so such nodes pay once.
final class WindowTranscoding: Sendable {
    let entities: [ExportEntity]
    let format: RowFormat
    /// Parquet cells for the lake too, beside a CSV or JSON-lines export's lines.
    let lake: Bool
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var enabled = true
        var transcoded = 0
    }

    init(entities: [ExportEntity], format: RowFormat = .csv, lake: Bool = false, logger: Logger) {
        self.entities = entities
        self.format = format
        self.lake = lake
        self.logger = logger
    }

    /// Windows the transcoder wrote so far.
    var transcodedWindows: Int { state.withLock { $0.transcoded } }

    /// The window transcoded, or nil when it is the decoding path's to fetch and write.
    func transcode(_ range: ClosedRange<UInt64>, fetcher: BlockFetcher, needs: BlockFetcher.Needs) async throws -> TranscodedWindow? {
        guard state.withLock({ $0.enabled }) else { return nil }
        let raw: RawWindow
        do {
            raw = try await fetcher.fetchRaw(range, needs: needs)
        } catch let error as RPCError where error.isMethodMissing || error.code == .malformedResponse {
            state.withLock { $0.enabled = false }
            logger.info("CSV transcoder off for the rest of this range; the decoding path takes it",
                        metadata: ["blocks": "\(range.lowerBound)-\(range.upperBound)", "reason": "\(error)"])
            return nil
        }
        var transcoder = CSVTranscoder(entities: entities, format: format, lake: lake)
        do {
            let window = try transcoder.transcode(raw, range: range)
            state.withLock { $0.transcoded += 1 }
            return window
        } catch {
            logger.debug("window left to the decoding path",
                         metadata: ["blocks": "\(range.lowerBound)-\(range.upperBound)", "reason": "\(error.description)"])
            return nil
        }
    }
}
