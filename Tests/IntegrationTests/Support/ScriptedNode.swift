// A JSON-RPC node over real HTTP on 127.0.0.1 whose faults each test scripts exactly.

import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Serves mainnet blocks 47218 and 47219 (recorded by ethereum-etl) with receipts derived from
/// their transactions, over HTTP on an ephemeral port, misbehaving as told: lagging, HTTP errors,
/// JSON-RPC errors, batch limits, answers out of order or with wrong ids, corrupted data.
final class ScriptedNode: Sendable {
    struct Script: Sendable {
        /// Head this replica reports; blocks above it are answered with `null` (as geth does).
        var head: UInt64 = 47219
        /// The first `failures` HTTP requests get this status (with `Retry-After: 1` for 429).
        var failWithStatus: Int? = nil
        var failures: Int = .max
        /// The first `rpcErrors` calls get JSON-RPC -32000 "header not found".
        var rpcErrors = 0
        /// A batch larger than this gets geth's whole-batch error.
        var batchLimit: Int? = nil
        /// `eth_getBlockReceipts` answers -32601, as on nodes without it.
        var withoutBlockReceipts = false
        /// Answers come in reverse order (ids still right).
        var reversed = false
        /// Answers carry ids that match no call.
        var wrongIDs = false
        /// Block 47219 says its parent is another block.
        var forkedParent = false
        /// Block 47219's receipts name another block hash.
        var receiptsFromOtherBlock = false
        /// Block 47219's `gasUsed` is not hex.
        var malformedField = false
        /// Every answer sends its headers (with the full Content-Length) and its first bytes, then
        /// nothing more, holding the connection open: a node that hangs mid-answer.
        var stallBody = false
        /// Block 47219's `extraData` is other (still valid) bytes: another version of its row.
        var otherExtraData = false
        /// Block 47219's first trace (`trace_block`) fails with this error text.
        var traceError: String? = nil
    }

    static let blocks: [UInt64] = [47218, 47219]

    let script: Mutex<Script>
    let served = Mutex<[String: Int]>([:])
    private let port = Mutex<Int?>(nil)
    private let blockJSON: [UInt64: [String: any Sendable]]
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var url: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

    /// Calls served per method.
    func count(_ method: String) -> Int { served.withLock { $0[method] ?? 0 } }
    var totalCalls: Int { served.withLock { $0.values.reduce(0, +) } }

    init(_ script: Script = Script()) async throws {
        self.script = Mutex(script)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SharedTests/Fixtures/ethereum-etl/test_export_blocks_job/blocks_with_transactions")
        var blocks: [UInt64: [String: any Sendable]] = [:]
        for number in ScriptedNode.blocks {
            let data = try Data(contentsOf: fixtures.appendingPathComponent("web3_response.eth_getBlockByNumber_0x\(String(number, radix: 16))_true.json"))
            let envelope = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            blocks[number] = ScriptedNode.sendable(envelope["result"] as! [String: Any])
        }
        self.blockJSON = blocks

        let router = Router()
        router.post("/") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 50 << 20)
            return self.respond(to: Data(buffer: body))
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "scripted-node", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let running = Task { try await app.run() }
        task.withLock { $0 = running }
        for await bound in ready.stream {
            port.withLock { $0 = bound }
            break
        }
    }

    func stop() { task.withLock { $0?.cancel() } }
    deinit { stop() }

    // MARK: Answers

    private func respond(to body: Data) -> Response {
        let current = script.withLock { script -> Script in
            let snapshot = script
            if script.failWithStatus != nil, script.failures > 0, script.failures != .max { script.failures -= 1 }
            return snapshot
        }
        if let status = current.failWithStatus, current.failures > 0 {
            var headers = HTTPFields()
            if status == 429 { headers[.retryAfter] = "1" }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: "busy")))
        }
        guard let calls = try? JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
            return json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#)
        }
        if let limit = current.batchLimit, calls.count > limit {
            return json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}}"#)
        }
        var answers: [[String: Any]] = []
        for call in calls {
            let method = call["method"] as? String ?? ""
            served.withLock { $0[method, default: 0] += 1 }
            let rpcError = script.withLock { script -> Bool in
                guard script.rpcErrors > 0 else { return false }
                script.rpcErrors -= 1
                return true
            }
            var answer: [String: Any] = ["jsonrpc": "2.0", "id": current.wrongIDs ? 9999 : (call["id"] ?? NSNull())]
            if rpcError {
                answer["error"] = ["code": -32000, "message": "header not found"]
            } else {
                switch result(for: method, params: call["params"] as? [Any] ?? [], script: current) {
                case .success(let value): answer["result"] = value
                case .failure(let error): answer["error"] = ["code": error.code, "message": error.message]
                }
            }
            answers.append(answer)
        }
        if current.reversed { answers.reverse() }
        let data = try! JSONSerialization.data(withJSONObject: answers)
        return json(String(decoding: data, as: UTF8.self))
    }

    struct RPCFailure: Error { let code: Int; let message: String }

    private func result(for method: String, params: [Any], script: Script) -> Result<Any, RPCFailure> {
        func blockParam() -> UInt64? { (params.first as? String).flatMap { UInt64($0.dropFirst(2), radix: 16) } }
        switch method {
        case "eth_blockNumber":
            return .success("0x" + String(script.head, radix: 16))
        case "eth_getBlockByNumber":
            guard let number = blockParam(), number <= script.head, var block = blockJSON[number].map(ScriptedNode.plain) else { return .success(NSNull()) }
            if number == 47219 && script.forkedParent { block["parentHash"] = "0x" + String(repeating: "ab", count: 32) }
            if number == 47219 && script.otherExtraData { block["extraData"] = "0x7a6f6d626965" }
            if number == 47219 && script.malformedField { block["gasUsed"] = "0xnothex" }
            return .success(block)
        case "eth_getBlockReceipts":
            if script.withoutBlockReceipts { return .failure(RPCFailure(code: -32601, message: "the method eth_getBlockReceipts does not exist/is not available")) }
            guard let number = blockParam(), number <= script.head, let block = blockJSON[number].map(ScriptedNode.plain) else { return .success(NSNull()) }
            return .success(receipts(of: block, number: number, script: script))
        case "eth_getTransactionReceipt":
            let hash = (params.first as? String ?? "").lowercased()
            for number in ScriptedNode.blocks where number <= script.head {
                let block = ScriptedNode.plain(blockJSON[number]!)
                if let receipt = receipts(of: block, number: number, script: script).first(where: { ($0["transactionHash"] as? String)?.lowercased() == hash }) {
                    return .success(receipt)
                }
            }
            return .success(NSNull())
        case "trace_block":
            guard let number = blockParam(), number <= script.head, let block = blockJSON[number].map(ScriptedNode.plain) else { return .success(NSNull()) }
            return .success(traces(of: block, number: number, script: script))
        default:
            return .failure(RPCFailure(code: -32601, message: "the method \(method) does not exist/is not available"))
        }
    }

    /// A call trace per transaction and the block's reward, as `trace_block` lists them.
    private func traces(of block: [String: Any], number: UInt64, script: Script) -> [[String: Any]] {
        let transactions = block["transactions"] as? [[String: Any]] ?? []
        var traces: [[String: Any]] = transactions.enumerated().map { position, tx in
            var trace: [String: Any] = [
                "action": ["callType": "call", "from": tx["from"]!, "to": tx["to"] ?? NSNull(), "gas": tx["gas"]!, "input": tx["input"]!,
                           "value": tx["value"]!],
                "blockHash": block["hash"]!, "blockNumber": Int(number), "result": ["gasUsed": "0x0", "output": "0x"], "subtraces": 0,
                "traceAddress": [Int](), "transactionHash": tx["hash"]!, "transactionPosition": position, "type": "call",
            ]
            if number == 47219, position == 0, let error = script.traceError {
                trace["error"] = error
                trace["result"] = NSNull()
            }
            return trace
        }
        traces.append([
            "action": ["author": block["miner"]!, "rewardType": "block", "value": "0x4563918244f40000"],
            "blockHash": block["hash"]!, "blockNumber": Int(number), "result": NSNull(), "subtraces": 0, "traceAddress": [Int](),
            "transactionHash": NSNull(), "transactionPosition": NSNull(), "type": "reward",
        ])
        return traces
    }

    private func receipts(of block: [String: Any], number: UInt64, script: Script) -> [[String: Any]] {
        let transactions = block["transactions"] as? [[String: Any]] ?? []
        var cumulative = 0
        return transactions.map { tx in
            cumulative += 21000
            let hash = (number == 47219 && script.receiptsFromOtherBlock) ? "0x" + String(repeating: "cd", count: 32) : block["hash"]!
            return [
                "blockHash": hash, "blockNumber": block["number"]!, "transactionHash": tx["hash"]!,
                "transactionIndex": tx["transactionIndex"]!, "from": tx["from"]!, "to": tx["to"] ?? NSNull(),
                "cumulativeGasUsed": "0x" + String(cumulative, radix: 16), "gasUsed": "0x5208", "contractAddress": NSNull(),
                "logs": [Any](), "logsBloom": "0x" + String(repeating: "0", count: 512), "status": "0x1",
                "effectiveGasPrice": tx["gasPrice"] ?? "0x0", "type": "0x0",
            ]
        }
    }

    private func json(_ text: String) -> Response {
        if script.withLock({ $0.stallBody }) {
            // The headers, with the full length, and the first bytes; the rest never comes.
            let full = ByteBuffer(string: text)
            let head = full.getSlice(at: 0, length: min(10, full.readableBytes)) ?? ByteBuffer()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(contentLength: full.readableBytes) { writer in
                try await writer.write(head)
                try await Task.sleep(for: .seconds(3600))
            })
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // JSONSerialization's values are not Sendable; keep them as JSON text inside.
    private static func sendable(_ object: [String: Any]) -> [String: any Sendable] {
        ["json": String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)]
    }

    private static func plain(_ stored: [String: any Sendable]) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data((stored["json"] as! String).utf8)) as! [String: Any]
    }
}
