// The members of one JSON object as spans, for the CSV transcoder.

import Foundation

/// The members one kind of object has: JSON name, and whether it may be missing or null.
/// Mirrors the matching `RPC…` model and its `FastJSONDecodable` reading.
protocol SpanObjectField: RawRepresentable<Int>, Sendable {
    static var count: Int { get }
    /// `SpanFieldIndex(Self.self)`, built once.
    static var index: SpanFieldIndex { get }
    var name: StaticString { get }
    var isOptional: Bool { get }
}

/// Finds the field a key names with one hash probe and, on a hit, one comparison: objects
/// have ~20 members and nodes add ones we skip, so a linear search of names was a measurable
/// part of the transcoder's reading.
struct SpanFieldIndex: Sendable {
    private static let size = 128
    /// Field raw values by hash slot; -1 is empty.
    private var slots = [Int8](repeating: -1, count: size)
    private var names: [[UInt8]] = []

    init<Field: SpanObjectField>(_ type: Field.Type) {
        for raw in 0..<Field.count {
            let name = Field(rawValue: raw)!.name
            let bytes = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            names.append(bytes)
            var slot = bytes.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
            while slots[slot] != -1 { slot = (slot + 1) & (Self.size - 1) }
            slots[slot] = Int8(raw)
        }
    }

    /// Length and first, middle and last byte mixed: enough to tell these names apart.
    @inline(__always)
    private static func hash(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        let mixed = UInt32(count) &* 0x9E37 ^ UInt32(start[0]) &* 0x1F1 ^ UInt32(start[count / 2]) &* 0x3B ^ UInt32(start[count - 1]) &* 0x7
        return Int((mixed ^ mixed >> 7) & UInt32(size - 1))
    }

    /// The raw value of the field named `key`, or nil.
    @inline(__always)
    func field(for key: FastJSONReader.Key) -> Int? {
        var slot = Self.hash(key.start, key.count)
        while true {
            let raw = Int(slots[slot])
            guard raw >= 0 else { return nil }
            let matches = names[raw].withUnsafeBufferPointer { name in
                name.count == key.count && memcmp(name.baseAddress!, key.start, key.count) == 0
            }
            if matches { return raw }
            slot = (slot + 1) & (Self.size - 1)
        }
    }
}

/// One object's members by field, in inline storage of `capacity` (≥ `Field.count`) spans:
/// no allocation per object, and no more bytes to copy than the object has fields.
struct SpanObject<let capacity: Int, Field: SpanObjectField>: Sendable {
    private var spans = InlineArray<capacity, JSONSpan>(repeating: .absent)

    /// Whether the storage has room for every field (`ColumnTableTests` checks the aliases below:
    /// a field past the capacity would trap on its first read).
    static var holdsEveryField: Bool { capacity >= Field.count }

    subscript(_ field: Field) -> JSONSpan {
        get { spans[field.rawValue] }
        set { spans[field.rawValue] = newValue }
    }

    /// The field a key names, or nil for a member the model does not read.
    @inline(__always)
    static func field(for key: FastJSONReader.Key) -> Field? {
        Field.index.field(for: key).flatMap(Field.init(rawValue:))
    }

    /// Gives up unless every required member is there and not null, as the model's reading does.
    func checkRequired() throws(FastJSONReader.Unsupported) {
        for raw in 0..<Field.count where spans[raw].isNull {
            if !Field(rawValue: raw)!.isOptional { throw FastJSONReader.Unsupported() }
        }
    }
}

extension FastJSONReader {
    /// Reads an object as its `RPC…` model's reading does: members of `Field` into `object`
    /// (`nested` reads those that are not strings and returns nil for the others), unknown
    /// members validated and skipped; a duplicate, or a required member missing or null, gives up.
    @inline(__always)
    mutating func readObject<let capacity: Int, Field: SpanObjectField & Equatable>(
        into object: inout SpanObject<capacity, Field>,
        nested: (Field, inout FastJSONReader) throws(Unsupported) -> JSONSpan? = { _, _ in nil }
    ) throws(Unsupported) {
        if try enterObject() {
            repeat {
                let key = try key()
                guard let field = SpanObject<capacity, Field>.field(for: key) else {
                    try skipValue()
                    continue
                }
                guard object[field].isAbsent else { throw Unsupported() }
                if let span = try nested(field, &self) {
                    object[field] = span
                } else {
                    object[field] = try stringMember(optional: field.isOptional)
                }
            } while try nextMember()
        }
        try object.checkRequired()
    }

    /// A string member: `null` is kept only where the member is optional.
    @inline(__always)
    mutating func stringMember(optional: Bool) throws(Unsupported) -> JSONSpan {
        if consumeNull() {
            guard optional else { throw Unsupported() }
            return .null
        }
        return try plainString()
    }

    /// A list of strings, its items appended to `items`; the span gives their position there.
    mutating func stringList(optional: Bool, into items: inout [JSONSpan]) throws(Unsupported) -> JSONSpan {
        if consumeNull() {
            guard optional else { throw Unsupported() }
            return .null
        }
        let start = items.count
        if try enterArray() {
            repeat {
                items.append(try plainString())
            } while try nextElement()
        }
        return JSONSpan(items: start, count: items.count - start)
    }
}

typealias BlockObject = SpanObject<23, BlockField>
typealias TransactionObject = SpanObject<16, TransactionField>
typealias ReceiptObject = SpanObject<17, ReceiptField>
typealias LogObject = SpanObject<8, LogField>

/// `RPCBlock`'s members.
enum BlockField: Int, SpanObjectField {
    static let index = SpanFieldIndex(BlockField.self)
    case number, hash, parentHash, nonce, sha3Uncles, logsBloom, transactionsRoot, stateRoot, receiptsRoot, miner
    case difficulty, totalDifficulty, size, extraData, gasLimit, gasUsed, timestamp, baseFeePerGas, withdrawalsRoot
    case withdrawals, blobGasUsed, excessBlobGas, transactions

    static let count = 23

    var name: StaticString {
        switch self {
        case .number: "number"
        case .hash: "hash"
        case .parentHash: "parentHash"
        case .nonce: "nonce"
        case .sha3Uncles: "sha3Uncles"
        case .logsBloom: "logsBloom"
        case .transactionsRoot: "transactionsRoot"
        case .stateRoot: "stateRoot"
        case .receiptsRoot: "receiptsRoot"
        case .miner: "miner"
        case .difficulty: "difficulty"
        case .totalDifficulty: "totalDifficulty"
        case .size: "size"
        case .extraData: "extraData"
        case .gasLimit: "gasLimit"
        case .gasUsed: "gasUsed"
        case .timestamp: "timestamp"
        case .baseFeePerGas: "baseFeePerGas"
        case .withdrawalsRoot: "withdrawalsRoot"
        case .withdrawals: "withdrawals"
        case .blobGasUsed: "blobGasUsed"
        case .excessBlobGas: "excessBlobGas"
        case .transactions: "transactions"
        }
    }

    var isOptional: Bool {
        switch self {
        case .nonce, .difficulty, .totalDifficulty, .size, .baseFeePerGas, .withdrawalsRoot, .withdrawals, .blobGasUsed,
             .excessBlobGas:
            true
        default:
            false
        }
    }
}

/// `RPCTransaction`'s members.
enum TransactionField: Int, SpanObjectField {
    static let index = SpanFieldIndex(TransactionField.self)
    case hash, nonce, blockHash, blockNumber, transactionIndex, from, to, value, gas, gasPrice, input, maxFeePerGas
    case maxPriorityFeePerGas, type, maxFeePerBlobGas, blobVersionedHashes

    static let count = 16

    var name: StaticString {
        switch self {
        case .hash: "hash"
        case .nonce: "nonce"
        case .blockHash: "blockHash"
        case .blockNumber: "blockNumber"
        case .transactionIndex: "transactionIndex"
        case .from: "from"
        case .to: "to"
        case .value: "value"
        case .gas: "gas"
        case .gasPrice: "gasPrice"
        case .input: "input"
        case .maxFeePerGas: "maxFeePerGas"
        case .maxPriorityFeePerGas: "maxPriorityFeePerGas"
        case .type: "type"
        case .maxFeePerBlobGas: "maxFeePerBlobGas"
        case .blobVersionedHashes: "blobVersionedHashes"
        }
    }

    var isOptional: Bool {
        switch self {
        case .to, .gasPrice, .maxFeePerGas, .maxPriorityFeePerGas, .type, .maxFeePerBlobGas, .blobVersionedHashes: true
        default: false
        }
    }
}

/// `RPCReceipt`'s members.
enum ReceiptField: Int, SpanObjectField {
    static let index = SpanFieldIndex(ReceiptField.self)
    case transactionHash, transactionIndex, blockHash, blockNumber, cumulativeGasUsed, gasUsed, contractAddress, root
    case status, effectiveGasPrice, l1Fee, l1GasUsed, l1GasPrice, l1FeeScalar, blobGasPrice, blobGasUsed, logs

    static let count = 17

    var name: StaticString {
        switch self {
        case .transactionHash: "transactionHash"
        case .transactionIndex: "transactionIndex"
        case .blockHash: "blockHash"
        case .blockNumber: "blockNumber"
        case .cumulativeGasUsed: "cumulativeGasUsed"
        case .gasUsed: "gasUsed"
        case .contractAddress: "contractAddress"
        case .root: "root"
        case .status: "status"
        case .effectiveGasPrice: "effectiveGasPrice"
        case .l1Fee: "l1Fee"
        case .l1GasUsed: "l1GasUsed"
        case .l1GasPrice: "l1GasPrice"
        case .l1FeeScalar: "l1FeeScalar"
        case .blobGasPrice: "blobGasPrice"
        case .blobGasUsed: "blobGasUsed"
        case .logs: "logs"
        }
    }

    var isOptional: Bool {
        switch self {
        case .transactionHash, .transactionIndex, .blockHash, .blockNumber, .cumulativeGasUsed, .gasUsed, .logs: false
        default: true
        }
    }
}

/// `RPCLog`'s members.
enum LogField: Int, SpanObjectField {
    static let index = SpanFieldIndex(LogField.self)
    case logIndex, transactionHash, transactionIndex, blockHash, blockNumber, address, data, topics

    static let count = 8

    var name: StaticString {
        switch self {
        case .logIndex: "logIndex"
        case .transactionHash: "transactionHash"
        case .transactionIndex: "transactionIndex"
        case .blockHash: "blockHash"
        case .blockNumber: "blockNumber"
        case .address: "address"
        case .data: "data"
        case .topics: "topics"
        }
    }

    var isOptional: Bool { false }
}
