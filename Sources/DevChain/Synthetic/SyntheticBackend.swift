// SyntheticBackend: the JSON-RPC methods geth offers, answered from the synthetic chain.

/// Argument errors use geth's wording (`missing value for required argument 1`) so client
/// error handling is exercised as against a real node.
struct SyntheticBackend: RPCBackend {
    let chain: SyntheticChain
    /// Widest block range one eth_getLogs may cover (see DevChainConfiguration).
    let maxLogsBlockRange: UInt64
    static let clientVersion = "Geth/v1.14.12-stable-devchain/linux-amd64/go1.23.4"

    /// Methods this node answers with "method not found" (`--no-debug-api`, `--no-trace-api`).
    let disabledNamespaces: Set<String>

    init(chain: SyntheticChain, maxLogsBlockRange: UInt64 = 10_000, disabledNamespaces: Set<String> = []) {
        self.chain = chain
        self.maxLogsBlockRange = maxLogsBlockRange
        self.disabledNamespaces = disabledNamespaces
    }

    func handle(method: String, params: [JSONValue]) -> RPCOutcome {
        do {
            return try dispatch(method: method, params: params)
        } catch {
            return .error(error)
        }
    }

    private func dispatch(method: String, params: [JSONValue]) throws(RPCError) -> RPCOutcome {
        if let namespace = method.split(separator: "_").first, disabledNamespaces.contains(String(namespace)) {
            return .error(.methodNotFound(method))
        }
        switch method {
        case "trace_block":
            let n = try blockNumber(params, 0)
            guard n <= chain.head else { return .null }
            return .result(SyntheticTrace.parityJSON(chain.parameters, block: n))
        case "debug_traceBlockByNumber":
            let n = try blockNumber(params, 0)
            guard n <= chain.head else { throw RPCError(code: -32000, message: "block #\(n) not found") }
            guard n > 0 else { throw RPCError(code: -32000, message: "genesis is not traceable") }
            if params.count > 1, let tracer = params[1]["tracer"]?.stringValue, tracer != "callTracer" {
                throw RPCError(code: -32000, message: "devchain only has the callTracer, not \(tracer)")
            }
            return .result(SyntheticTrace.gethJSON(chain.parameters, block: n))
        case "eth_blockNumber": return .quantity(chain.head)
        case "eth_chainId": return .quantity(chain.parameters.chainID)
        case "net_version": return .string(String(chain.parameters.chainID))
        case "web3_clientVersion": return .string(Self.clientVersion)
        case "eth_syncing": return .result(Array("false".utf8))
        case "eth_getBlockByNumber":
            let n = try blockNumber(params, 0)
            let full = try bool(params, 1)
            guard let block = chain.block(n) else { return .null }
            return .result(full ? block.fullJSON : block.headerJSON)
        case "eth_getBlockByHash":
            let hash = try data(params, 0, length: 32)
            let full = try bool(params, 1)
            guard let n = chain.blockNumber(forHash: hash), let block = chain.block(n) else { return .null }
            return .result(full ? block.fullJSON : block.headerJSON)
        case "eth_getBlockReceipts":
            guard let block = try blockByNumberOrHash(params, 0) else { return .null }
            return .result(block.receiptsJSON)
        case "eth_getBlockTransactionCountByNumber":
            let n = try blockNumber(params, 0)
            guard n <= chain.head else { return .null }
            return .quantity(UInt64(chain.parameters.transactionCount(inBlock: n)))
        case "eth_getTransactionByHash":
            guard let (n, i) = chain.locateTransaction(try data(params, 0, length: 32)),
                  let tx = chain.block(n)?.transactionJSON(i) else { return .null }
            return .result(tx)
        case "eth_getTransactionReceipt":
            guard let (n, i) = chain.locateTransaction(try data(params, 0, length: 32)),
                  let receipt = chain.block(n)?.receiptJSON(i) else { return .null }
            return .result(receipt)
        case "eth_getCode":
            let address = try data(params, 0, length: 20)
            var out: [UInt8] = []
            JSONBytes.appendData(chain.code(at: address), to: &out)
            return .result(out)
        case "eth_call":
            guard let call = params.first, case .object = call else { throw RPCError.invalidParams("missing value for required argument 0") }
            guard let toText = call["to"]?.stringValue, let to = Hex.parseData(toText, length: 20) else { return .result(Array("\"0x\"".utf8)) }
            let input = (call["input"] ?? call["data"])?.stringValue.flatMap { Hex.parseData($0) } ?? []
            let block = params.count > 1 ? params[1].stringValue.flatMap(BlockTag.init).map { $0.resolve(head: chain.head) } : nil
            return chain.call(to: to, data: input, at: block)
        case "eth_getLogs":
            guard let value = params.first else { throw RPCError.invalidParams("missing value for required argument 0") }
            return try logs(LogFilter(value))
        default:
            return .error(.methodNotFound(method))
        }
    }

    /// eth_getLogs over the filter's range, clamped to the head; the range is capped at
    /// `maxLogsBlockRange` blocks so one call cannot render the whole chain.
    func logs(_ filter: LogFilter) throws(RPCError) -> RPCOutcome {
        let head = chain.head
        let first: UInt64
        let last: UInt64
        if let hash = filter.blockHash {
            guard let n = chain.blockNumber(forHash: hash) else { throw RPCError(code: -32000, message: "unknown block") }
            first = n
            last = n
        } else {
            first = (filter.fromBlock ?? .latest).resolve(head: head)
            last = min((filter.toBlock ?? .latest).resolve(head: head), head)
            if first > last {
                if first > head { return .result(Array("[]".utf8)) }
                throw RPCError(code: -32000, message: "invalid block range params")
            }
            if last - first + 1 > maxLogsBlockRange {
                throw RPCError(code: -32005, message: "query exceeds max block range \(maxLogsBlockRange)")
            }
        }
        var out: [UInt8] = [UInt8(ascii: "[")]
        var any = false
        var n = first
        while n <= last {
            if let block = chain.block(n) {
                for entry in block.logs where filter.matches(entry) {
                    if any { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: block.logJSON(entry))
                    any = true
                }
            }
            n += 1
        }
        out.append(UInt8(ascii: "]"))
        return .result(out)
    }

    // MARK: argument readers (geth's messages)

    private func argument(_ params: [JSONValue], _ index: Int) throws(RPCError) -> JSONValue {
        guard params.indices.contains(index) else { throw RPCError.invalidParams("missing value for required argument \(index)") }
        return params[index]
    }

    private func blockNumber(_ params: [JSONValue], _ index: Int) throws(RPCError) -> UInt64 {
        let value = try argument(params, index)
        guard let text = value.stringValue, let tag = BlockTag(text) else {
            throw RPCError.invalidParams("invalid argument \(index): hex string without 0x prefix")
        }
        return tag.resolve(head: chain.head)
    }

    private func blockByNumberOrHash(_ params: [JSONValue], _ index: Int) throws(RPCError) -> SyntheticBlock? {
        let value = try argument(params, index)
        var text = value.stringValue
        if case .object = value { text = value["blockHash"]?.stringValue ?? value["blockNumber"]?.stringValue }
        guard let text else { throw RPCError.invalidParams("invalid argument \(index): invalid block number or hash") }
        if text.utf8.count == 66, let hash = Hex.parseData(text, length: 32) {
            guard let n = chain.blockNumber(forHash: hash) else { return nil }
            return chain.block(n)
        }
        guard let tag = BlockTag(text) else { throw RPCError.invalidParams("invalid argument \(index): hex string without 0x prefix") }
        return chain.block(tag.resolve(head: chain.head))
    }

    private func bool(_ params: [JSONValue], _ index: Int) throws(RPCError) -> Bool {
        guard let b = try argument(params, index).boolValue else {
            throw RPCError.invalidParams("invalid argument \(index): json: cannot unmarshal non-bool into Go value of type bool")
        }
        return b
    }

    private func data(_ params: [JSONValue], _ index: Int, length: Int) throws(RPCError) -> [UInt8] {
        let text = try argument(params, index).stringValue ?? ""
        guard let bytes = Hex.parseData(text, length: length) else {
            let kind = length == 20 ? "common.Address" : "common.Hash"
            throw RPCError.invalidParams("invalid argument \(index): hex string has length \(max(0, text.utf8.count - 2)), want \(length * 2) for \(kind)")
        }
        return bytes
    }
}
