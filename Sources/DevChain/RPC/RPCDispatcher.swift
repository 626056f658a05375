// RPCDispatcher: turns one HTTP request body into one HTTP reply (faults, limits, batches).

/// Everything between the socket and the backend lives here, independent of NIO:
/// fault injection, rate limiting, JSON-RPC framing, geth's batch limits.
struct RPCDispatcher: Sendable {
    var backend: any RPCBackend
    var faults: FaultInjector
    var rateLimiter: RateLimiter?
    /// geth's BatchRequestLimit (default 1000 calls).
    var batchLimit: Int
    /// geth's BatchResponseMaxSize (default 25 MB).
    var responseSizeLimit: Int

    init(backend: any RPCBackend, faults: FaultInjector, rateLimiter: RateLimiter?, batchLimit: Int, responseSizeLimit: Int) {
        self.backend = backend
        self.faults = faults
        self.rateLimiter = rateLimiter
        self.batchLimit = batchLimit
        self.responseSizeLimit = responseSizeLimit
    }

    /// Handles one HTTP POST body.
    func reply(to body: [UInt8]) -> HTTPReply {
        let fault = faults.nextDecision()
        switch fault {
        case .drop:
            return .drop
        case .httpStatus500:
            return .respond(status: 500, body: Array("internal server error\n".utf8), retryAfter: nil)
        case .httpStatus429:
            return .respond(status: 429, body: Array("too many requests\n".utf8), retryAfter: 1)
        case .none, .headerNotFound:
            break
        }
        if let rateLimiter, !rateLimiter.tryAcquire() {
            return .respond(status: 429, body: Array("too many requests\n".utf8), retryAfter: 1)
        }
        let forcedError: RPCError? = fault == .headerNotFound ? .headerNotFound : nil

        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            return .json(Self.encode(id: .null, outcome: .error(.parseError)))
        }

        if case .array(let items) = document {
            return .json(handleBatch(items, forcedError: forcedError))
        }
        let request: RPCRequest
        do {
            request = try RPCRequest(document)
        } catch {
            return .json(Self.encode(id: document["id"] ?? .null, outcome: .error(error)))
        }
        let outcome = forcedError.map { RPCOutcome.error($0) } ?? backend.handle(method: request.method, params: request.params)
        if request.isNotification { return .json([]) }
        return .json(Self.encode(id: request.id ?? .null, outcome: outcome))
    }

    /// geth answers an oversized batch with a single error carrying the first call's id,
    /// and replaces every call after the response budget is spent with -32003.
    private func handleBatch(_ items: [JSONValue], forcedError: RPCError?) -> [UInt8] {
        if items.isEmpty {
            return Self.encode(id: .null, outcome: .error(.emptyBatch))
        }
        if items.count > batchLimit {
            let firstID = items.lazy.compactMap { $0["id"] }.first ?? .null
            var out: [UInt8] = [UInt8(ascii: "[")]
            out.append(contentsOf: Self.encode(id: firstID, outcome: .error(.batchTooLarge)))
            out.append(UInt8(ascii: "]"))
            return out
        }
        // Answers first, bytes second: the reply is then written into one buffer of its final
        // size (growing it call by call copied each multi-MB reply several times over).
        var answers: [(id: JSONValue, outcome: RPCOutcome)] = []
        answers.reserveCapacity(items.count)
        var written = 0
        var budgetSpent = false
        for item in items {
            let id: JSONValue
            let outcome: RPCOutcome
            do {
                let request = try RPCRequest(item)
                if request.isNotification { _ = backend.handle(method: request.method, params: request.params); continue }
                id = request.id ?? .null
                if let forcedError {
                    outcome = .error(forcedError)
                } else if budgetSpent {
                    outcome = .error(.responseTooLarge)
                } else {
                    let answer = backend.handle(method: request.method, params: request.params)
                    written += answer.byteCount
                    if written > responseSizeLimit {
                        budgetSpent = true
                        outcome = .error(.responseTooLarge)
                    } else {
                        outcome = answer
                    }
                }
            } catch {
                id = item["id"] ?? .null
                outcome = .error(error)
            }
            answers.append((id, outcome))
        }
        // A batch of notifications only gets no answer at all, as in geth.
        if answers.isEmpty { return [] }
        var out: [UInt8] = []
        // Envelope and id take well under 64 bytes; errors are rare and small.
        out.reserveCapacity(answers.reduce(2) { $0 + $1.outcome.byteCount + 64 })
        out.append(UInt8(ascii: "["))
        for (index, answer) in answers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.append(id: answer.id, outcome: answer.outcome, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// `{"jsonrpc":"2.0","id":…,"result":…}` in geth's field order.
    static func encode(id: JSONValue, outcome: RPCOutcome) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(outcome.byteCount + 64)
        append(id: id, outcome: outcome, to: &out)
        return out
    }

    static func append(id: JSONValue, outcome: RPCOutcome, to out: inout [UInt8]) {
        JSONBytes.appendRaw("{\"jsonrpc\":\"2.0\",\"id\":", to: &out)
        id.write(to: &out)
        switch outcome {
        case .result(let bytes):
            JSONBytes.appendRaw(",\"result\":", to: &out)
            out.append(contentsOf: bytes)
        case .error(let error):
            JSONBytes.appendRaw(",\"error\":", to: &out)
            error.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
