// Sending one JSON-RPC batch to one endpoint over HTTP, and matching the answers to the calls.

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP round trip: a batch of calls in, one `RPCResponse` per call out, in call order.
///
/// Answers are matched by id, never by position (nodes may reorder a batch). Transport, HTTP and
/// whole-batch failures throw `RPCError`; per-call errors come back in their `RPCResponse`.
public struct JSONRPCTransport: Sendable {
    public let http: HTTPClient
    /// Bounds each request whole: connecting, the headers and the last byte of the body.
    public let timeout: Duration
    /// Larger responses are refused rather than buffered without bound.
    public let maxResponseBytes: Int

    public init(http: HTTPClient, timeout: Duration = .seconds(30), maxResponseBytes: Int = 512 << 20) {
        self.http = http
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send<T: Decodable & Sendable>(_ calls: [RPCRequest], to endpoint: RPCEndpoint, as type: T.Type) async throws(RPCError) -> [RPCResponse<T>] {
        let body = try await sendRaw(calls, to: endpoint)
        // Decoded in place: copying a multi-MB body into a `Data` first cost a memmove and fresh pages.
        let result = body.withUnsafeReadableBytes { bytes -> Result<[RPCResponse<T>], RPCError> in
            do throws(RPCError) {
                return .success(try JSONRPCTransport.decode(bytes: bytes, owner: body, calls: calls, endpoint: endpoint.name, as: type))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The response body of a batch, undecoded: for the fetch-only ceiling and for callers that parse bytes themselves.
    public func sendRaw(_ calls: [RPCRequest], to endpoint: RPCEndpoint) async throws(RPCError) -> ByteBuffer {
        let method = calls.first?.method ?? "none"
        let started = ContinuousClock.now
        do {
            let body = try await sendRawUnmeasured(calls, to: endpoint)
            FleetMetrics.histogram(FleetMetrics.rpcDuration, [("endpoint", endpoint.name), ("method", method)], buckets: FleetMetrics.rpcBuckets)
                .record(ContinuousClock.now - started)
            return body
        } catch {
            FleetMetrics.histogram(FleetMetrics.rpcDuration, [("endpoint", endpoint.name), ("method", method)], buckets: FleetMetrics.rpcBuckets)
                .record(ContinuousClock.now - started)
            FleetMetrics.counter(FleetMetrics.rpcErrors, [("endpoint", endpoint.name), ("method", method), ("code", error.code.rawValue)]).increment()
            throw error
        }
    }

    private func sendRawUnmeasured(_ calls: [RPCRequest], to endpoint: RPCEndpoint) async throws(RPCError) -> ByteBuffer {
        let method = calls.first?.method
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONRPCTransport.body(calls)))
        do {
            // The client's own deadline stops applying once the headers are in; this one bounds the
            // body too, so a node that answers its headers and then stalls fails the call in time.
            return try await withDeadline(timeout, "\(method ?? "batch") on \(endpoint.name)") { [self, request] in
                try await exchange(request, endpoint: endpoint, method: method)
            }
        } catch let error as RPCError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw RPCError(.timeout, endpoint: endpoint.name, method: method, "no answer within \(timeout.seconds) s")
        } catch is DeadlineExceeded {
            throw RPCError(.timeout, endpoint: endpoint.name, method: method, "no whole answer within \(timeout.seconds) s")
        } catch let error as NIOTooManyBytesError {
            throw RPCError(.responseTooLarge, endpoint: endpoint.name, method: method, "response over \(maxResponseBytes) bytes (\(error))")
        } catch {
            throw RPCError(.transport, endpoint: endpoint.name, method: method, "\(error)")
        }
    }

    /// The request and its whole response body; the caller bounds it in time.
    private func exchange(_ request: HTTPClientRequest, endpoint: RPCEndpoint, method: String?) async throws -> ByteBuffer {
        let response = try await http.execute(request, timeout: .nanoseconds(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        switch response.status.code {
        case 200: break
        case 429:
            throw RPCError(.rateLimited, endpoint: endpoint.name, method: method, retryAfter: JSONRPCTransport.retryAfter(response.headers), "HTTP 429 Too Many Requests")
        case 500...599:
            throw RPCError(.serverError, endpoint: endpoint.name, method: method, retryAfter: JSONRPCTransport.retryAfter(response.headers), "HTTP \(response.status.code)")
        default:
            throw RPCError(.httpStatus, endpoint: endpoint.name, method: method, "HTTP \(response.status.code)")
        }
        return try await JSONRPCTransport.collect(response, upTo: maxResponseBytes)
    }

    /// The whole body, in one buffer sized from Content-Length when the node sends it: letting the
    /// buffer grow chunk by chunk re-copied each multi-MB batch answer several times.
    static func collect(_ response: HTTPClientResponse, upTo maxBytes: Int) async throws -> ByteBuffer {
        guard let length = response.headers.first(name: "Content-Length").flatMap({ Int($0) }), length >= 0 else {
            return try await response.body.collect(upTo: maxBytes)
        }
        guard length <= maxBytes else { throw NIOTooManyBytesError(maxBytes: maxBytes) }
        var body = ByteBufferAllocator().buffer(capacity: length)
        for try await var chunk in response.body {
            guard body.readableBytes + chunk.readableBytes <= maxBytes else { throw NIOTooManyBytesError(maxBytes: maxBytes) }
            body.writeBuffer(&chunk)
        }
        return body
    }

    /// `[{"jsonrpc":"2.0","id":0,"method":…,"params":…},…]`; ids are the calls' positions.
    static func body(_ calls: [RPCRequest]) -> String {
        var text = "["
        text.reserveCapacity(calls.count * 80)
        for (index, call) in calls.enumerated() {
            if index > 0 { text += "," }
            text += #"{"jsonrpc":"2.0","id":\#(index),"method":"\#(call.method)","params":\#(call.params)}"#
        }
        return text + "]"
    }

    /// Matches a response body to the calls. A whole-batch error object (geth's "batch too large")
    /// throws; so do bad JSON, unknown or missing ids, and results that do not decode, naming
    /// the block and field concerned.
    static func decode<T: Decodable & Sendable>(_ data: Data, calls: [RPCRequest], endpoint: String, as type: T.Type) throws(RPCError) -> [RPCResponse<T>] {
        let result = data.withUnsafeBytes { bytes -> Result<[RPCResponse<T>], RPCError> in
            do throws(RPCError) {
                return .success(try decode(bytes: bytes, calls: calls, endpoint: endpoint, as: type))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `decode` over bytes that stay where they are (the response buffer); only the rare paths
    /// that need `JSONDecoder` copy them into a `Data`.
    static func decode<T: Decodable & Sendable>(bytes: UnsafeRawBufferPointer, owner: ByteBuffer? = nil, calls: [RPCRequest], endpoint: String, as type: T.Type) throws(RPCError) -> [RPCResponse<T>] {
        let method = calls.first?.method
        let firstByte = bytes.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        if firstByte == UInt8(ascii: "{") {
            // One object for a batch: the node rejected the batch as a whole.
            let whole = try? JSONDecoder().decode(RPCResponse<EmptyResult>.self, from: Data(bytes))
            guard let failure = whole?.error else {
                throw RPCError(.malformedResponse, endpoint: endpoint, method: method, "expected a batch (JSON array), got an object")
            }
            throw classify(failure, endpoint: endpoint, method: method)
        }
        let responses: [RPCResponse<T>]
        do {
            // A hand-written scanner for the node models; anything off its path is re-read by
            // JSONDecoder, so errors name the same block and field either way.
            responses = try RPCBatchDecoding.decode(bytes: bytes, owner: owner, as: type, blocks: calls.map(\.block))
        } catch {
            throw RPCError(.malformedResponse, endpoint: endpoint, method: method, error.description)
        }
        var ordered = [RPCResponse<T>?](repeating: nil, count: calls.count)
        for response in responses {
            guard let idText = response.id, let index = Int(idText), ordered.indices.contains(index) else {
                throw RPCError(.malformedResponse, endpoint: endpoint, method: method, "answer with id \(response.id ?? "null") matches no call of the batch")
            }
            guard ordered[index] == nil else {
                throw RPCError(.malformedResponse, endpoint: endpoint, method: method, "two answers with id \(index)")
            }
            ordered[index] = response
        }
        var result: [RPCResponse<T>] = []
        result.reserveCapacity(calls.count)
        for (index, response) in ordered.enumerated() {
            guard let response else {
                throw RPCError(.malformedResponse, endpoint: endpoint, method: calls[index].method, "no answer for call \(calls[index]) (id \(index))")
            }
            result.append(response)
        }
        return result
    }

    /// Maps a JSON-RPC error object to our codes (batch/response size, missing method, other).
    static func classify(_ failure: RPCErrorObject, endpoint: String, method: String?) -> RPCError {
        let message = FailureText(failure.message)
        if message.contains("batch too large") || message.contains("batch limit") || message.contains("batch size") {
            return RPCError(.batchTooLarge, endpoint: endpoint, method: method, rpcCode: failure.code, failure.message)
        }
        if failure.code == -32003 || message.contains("response too large") || message.contains("response size") {
            return RPCError(.responseTooLarge, endpoint: endpoint, method: method, rpcCode: failure.code, failure.message)
        }
        if failure.code == -32601 || message.contains("does not exist") || message.contains("not available") || message.contains("method not found") {
            return RPCError(.methodNotFound, endpoint: endpoint, method: method, rpcCode: failure.code, failure.message)
        }
        if failure.code == 429 || message.contains("rate limit") || message.contains("too many requests") {
            return RPCError(.rateLimited, endpoint: endpoint, method: method, rpcCode: failure.code, failure.message)
        }
        return RPCError(.rpc, endpoint: endpoint, method: method, rpcCode: failure.code, "error \(failure.code): \(failure.message)")
    }

    /// An error message lower-cased for `classify`'s phrase search. ASCII text (nearly every
    /// node message) is searched as bytes: Foundation's `contains` bridged each message through
    /// NSString, and token metadata calls answer "execution reverted" by the thousand.
    struct FailureText {
        private let ascii: [UInt8]?
        private let text: String

        init(_ message: String) {
            if message.utf8.allSatisfy({ $0 < 0x80 }) {
                ascii = message.utf8.map(\.asciiLowercased)
                text = ""
            } else {
                ascii = nil
                text = message.lowercased()
            }
        }

        func contains(_ phrase: String) -> Bool {
            guard let ascii else { return text.contains(phrase) }
            let needle = Array(phrase.utf8)
            guard needle.count <= ascii.count else { return false }
            for start in 0...(ascii.count - needle.count) where ascii[start] == needle[0] {
                if ascii[start..<start + needle.count].elementsEqual(needle) { return true }
            }
            return false
        }
    }

    /// `Retry-After` in seconds (delta form; an HTTP date counts as 1 s).
    static func retryAfter(_ headers: HTTPHeaders) -> Double? {
        guard let value = headers.first(name: "Retry-After") else { return nil }
        return Double(value.trimmingCharacters(in: .whitespaces)) ?? 1
    }
}

/// A result we do not read (for whole-batch error objects).
struct EmptyResult: Decodable, Sendable {}
