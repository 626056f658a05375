// ReplayBackend: serves the recorded responses of one ethereum-etl fixture case directory.

import Foundation

/// Lets the exporter run against real mainnet shapes (pre-Byzantium receipts with `root`,
/// parity-era fields, traces) exactly as ethereum-etl's own tests see them.
struct ReplayBackend: RPCBackend {
    /// Recorded outcomes by key (`eth_getBlockByNumber_0xb872_true`).
    let entries: [String: RPCOutcome]
    /// Methods with at least one recording: their unrecorded params get -32000, not -32601.
    let recordedMethods: Set<String>
    /// Highest block number among recorded block and block-trace calls (0 when none).
    let highestBlock: UInt64
    /// This replica reports head − lag and answers null above it.
    let lagBlocks: UInt64

    init(entries: [String: RPCOutcome], lagBlocks: UInt64 = 0) {
        self.entries = entries
        self.lagBlocks = lagBlocks
        recordedMethods = Set(entries.keys.compactMap(ReplayFileName.method(ofKey:)))
        highestBlock = entries.keys.compactMap { key -> UInt64? in
            let blockMethods: Set<String> = ["eth_getBlockByNumber", "trace_block", "debug_traceBlockByNumber"]
            guard let method = ReplayFileName.method(ofKey: key), blockMethods.contains(method) else { return nil }
            let first = ReplayFileName.paramsText(ofKey: key).split(separator: "_").first.map(String.init) ?? ""
            return Hex.parseQuantity(first)
        }.max() ?? 0
    }

    /// Loads every `web3_response.*.json` of `directory`.
    static func load(directory: String, lagBlocks: UInt64 = 0) throws(DevChainError) -> ReplayBackend {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw DevChainError.replayDirectory("cannot list \(directory): \(error)")
        }
        var entries: [String: RPCOutcome] = [:]
        for name in names.sorted() {
            guard let key = ReplayFileName.key(ofFileName: name) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DevChainError.replayFile(path: path, reason: "unreadable")
            }
            let document: JSONValue
            do {
                document = try JSONParser.parse([UInt8](data))
            } catch {
                throw DevChainError.replayFile(path: path, reason: error.description)
            }
            entries[key] = outcome(of: document)
        }
        if entries.isEmpty {
            // Some fixture cases (extract jobs) read files, not a node: serve an empty chain.
            FileHandle.standardError.write(Data("devchain: warning: \(directory) holds no web3_response.*.json files; every method answers -32601\n".utf8))
        }
        return ReplayBackend(entries: entries, lagBlocks: lagBlocks)
    }

    /// A recording is a full response object (`result` or `error`) or, failing that, a bare result.
    static func outcome(of document: JSONValue) -> RPCOutcome {
        if let result = document["result"] {
            return .result(result.serialized())
        }
        if let error = document["error"], case .object = error {
            let code = error["code"].flatMap { v -> Int? in
                if case .number(let n) = v { return Int(n) }
                return nil
            } ?? -32000
            return .error(RPCError(code: code, message: error["message"]?.stringValue ?? "recorded error"))
        }
        return .result(document.serialized())
    }

    var reportedHead: UInt64 { highestBlock >= lagBlocks ? highestBlock - lagBlocks : 0 }

    func handle(method: String, params: [JSONValue]) -> RPCOutcome {
        let key = ReplayFileName.key(method: method, params: params)
        if let recorded = entries[key] {
            if lagBlocks > 0, method == "eth_getBlockByNumber",
               let number = params.first?.stringValue.flatMap(Hex.parseQuantity), number > reportedHead {
                return .null
            }
            return recorded
        }
        switch method {
        case "eth_blockNumber": return .quantity(reportedHead)
        case "eth_chainId": return .string("0x1")
        default: break
        }
        if recordedMethods.contains(method) {
            return .error(RPCError(code: -32000, message: "no recorded response for \(method) with params \(ReplayFileName.paramsText(ofKey: key))"))
        }
        return .error(.methodNotFound(method))
    }
}
