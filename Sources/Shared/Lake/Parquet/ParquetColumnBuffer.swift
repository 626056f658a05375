// The values of one column waiting for the next row group, appended one at a time.

import Foundation

/// Holds one column's values until the writer writes the row group, dictionary-encoding them
/// as they come while that pays (see `ParquetWriterConfiguration.dictionaryPageBytes`).
///
/// Appends do not throw, so a row's values can be appended in a tight loop: a value of the
/// wrong type or a null in a non-nullable column is remembered, and the writer's next
/// `endBatch()` throws it (naming the column) and refuses further work.
///
/// The storage appended to per value is `@exclusivity(unchecked)`: a buffer belongs to one
/// writer on one task (it is not Sendable), and the run-time access checks on every append were
/// ~7 % of a Parquet export.
public final class ParquetColumnBuffer {
    public let column: ParquetColumn
    /// Rows appended since the last row group was written.
    @exclusivity(unchecked)
    public private(set) var rowCount = 0

    let storage: ParquetColumnType.Storage
    /// The byte length of each value of a decimal (FIXED_LEN_BYTE_ARRAY) column.
    let fixedLength: Int
    let dictionaryPageBytes: Int
    /// The first misuse seen, thrown by the writer at the end of the batch.
    private(set) var problem: ParquetError?

    // Definition levels of a nullable column: 1 for a value, 0 for a null.
    @exclusivity(unchecked)
    private(set) var definitionLevels: [UInt8] = []
    @exclusivity(unchecked)
    private(set) var nullCount = 0
    /// The chunk's values in PLAIN encoding would take this many bytes (row group sizing).
    @exclusivity(unchecked)
    private(set) var plainBytes = 0

    // PLAIN storage.
    @exclusivity(unchecked)
    private(set) var booleans: [Bool] = []
    @exclusivity(unchecked)
    private(set) var integers: [Int64] = []
    @exclusivity(unchecked)
    private(set) var byteArrays = ParquetByteArrays()

    // Dictionary storage: the distinct values, and each value's index into them.
    @exclusivity(unchecked)
    private(set) var usesDictionary: Bool
    @exclusivity(unchecked)
    private(set) var indices: [UInt32] = []
    @exclusivity(unchecked)
    private(set) var integerDictionary = ParquetInt64Dictionary()
    @exclusivity(unchecked)
    private(set) var byteDictionary = ParquetByteArrayDictionary()
    /// Row groups still to start PLAIN because an earlier chunk's dictionary did not pay.
    private var plainRowGroupsLeft = 0

    init(column: ParquetColumn, dictionaryPageBytes: Int) {
        self.column = column
        self.storage = column.type.storage
        self.fixedLength = column.type.fixedLength
        self.dictionaryPageBytes = dictionaryPageBytes
        self.usesDictionary = Self.startsWithDictionary(column.type.storage, dictionaryPageBytes)
    }

    /// Booleans are one bit each in PLAIN: a dictionary cannot beat that.
    private static func startsWithDictionary(_ storage: ParquetColumnType.Storage, _ dictionaryPageBytes: Int) -> Bool {
        storage != .boolean && dictionaryPageBytes > 0
    }

    // MARK: Appending

    /// A `boolean` column's value.
    public func append(_ value: Bool) {
        guard storage == .boolean else { return refuse("a boolean") }
        present()
        plainBytes += 1
        booleans.append(value)
    }

    /// An `int64` column's value, or a `timestamp` column's count of its unit since 1970 UTC.
    public func append(_ value: Int64) {
        guard storage == .int64 else { return refuse("an integer") }
        present()
        plainBytes += 8
        guard usesDictionary else { return integers.append(value) }
        let distinct = integerDictionary.count
        indices.append(integerDictionary.index(of: value))
        if integerDictionary.count > distinct { dictionaryGrew(distinct + 1, bytes: 8 * (distinct + 1)) }
    }

    /// A `timestamp` column's value given in whole seconds since 1970 UTC (Ethereum block
    /// timestamps), scaled to the column's unit.
    public func append(epochSeconds: Int64) {
        guard case .timestamp(let unit) = column.type else { return refuse("a timestamp") }
        let (scaled, overflow) = epochSeconds.multipliedReportingOverflow(by: unit == .milliseconds ? 1_000 : 1_000_000)
        guard !overflow else { return refuse("\(epochSeconds) seconds, out of range") }
        append(scaled)
    }

    /// A `string` column's value (also accepted by `bytes` columns, as its UTF-8), or a
    /// `decimal` column's value as decimal text (`-12.5`, `1000`; at most `scale` digits after
    /// the point and `precision` digits in all).
    public func append(_ value: String) {
        if storage == .fixedLengthByteArray { return appendDecimal(value) }
        guard storage == .byteArray else { return refuse("a string") }
        var value = value
        value.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A `bytes` column's value (also accepted by `string` columns, which must get UTF-8, and
    /// by `decimal` columns as the unscaled value in big-endian two's complement of exactly
    /// the column's byte width).
    public func append(bytes value: UnsafeRawBufferPointer) {
        guard storage == .byteArray || (storage == .fixedLengthByteArray && value.count == fixedLength) else {
            return refuse(storage == .fixedLengthByteArray ? "\(value.count) bytes, not \(fixedLength)," : "bytes")
        }
        present()
        plainBytes += storage == .byteArray ? 4 + value.count : value.count
        guard usesDictionary else { return byteArrays.append(value) }
        let distinct = byteDictionary.count
        indices.append(byteDictionary.index(of: value))
        if byteDictionary.count > distinct { dictionaryGrew(distinct + 1, bytes: dictionaryPlainBytes) }
    }

    private func appendDecimal(_ text: String) {
        guard case .decimal(let precision, let scale) = column.type,
              let bytes = ParquetDecimal.encode(text, precision: precision, scale: scale) else {
            return refuse("\"\(text.prefix(100))\", not a number that fits")
        }
        bytes.withUnsafeBytes { append(bytes: $0) }
    }

    /// The dictionary page's size in PLAIN encoding.
    var dictionaryPlainBytes: Int {
        switch storage {
        case .int64: integerDictionary.count * 8
        case .byteArray: byteDictionary.plainBytes
        case .fixedLengthByteArray: byteDictionary.count * fixedLength
        case .boolean: 0
        }
    }

    /// A `bytes` column's value from any collection of bytes (`[UInt8]`, `Data`, a slice).
    public func append(bytes value: some Sequence<UInt8>) {
        let done: Void? = value.withContiguousStorageIfAvailable { append(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(value).withUnsafeBytes { append(bytes: $0) } }
    }

    /// A null, for a nullable column.
    public func appendNull() {
        guard column.nullable else { return refuse("a null") }
        definitionLevels.append(0)
        nullCount += 1
        rowCount += 1
    }

    /// The value, or a null when it is nil.
    public func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// The value, or a null when it is nil.
    public func append(_ value: String?) {
        if let value { append(value) } else { appendNull() }
    }

    /// The value, or a null when it is nil.
    public func append(_ value: Bool?) {
        if let value { append(value) } else { appendNull() }
    }

    // MARK: State

    private func present() {
        if column.nullable { definitionLevels.append(1) }
        rowCount += 1
    }

    private func refuse(_ what: String) {
        guard problem == nil else { return }
        problem = ParquetError(.invalidValue, "got \(what) for a \(column.nullable ? "nullable" : "non-nullable") column of type \(column.type) (row \(rowCount) of the batch)", column: column.name)
    }

    /// Values that are not null.
    var valueCount: Int { rowCount - nullCount }

    /// Past this many distinct values a dictionary must be paying: values mostly repeating.
    static let dictionaryTrialValues = 10_000

    /// Gives up the dictionary once its page would pass `dictionaryPageBytes`, or once it has
    /// many entries and more than half the values were new (hashes, amounts): probing a large
    /// table for values that never repeat cost more than the rest of the writer.
    private func dictionaryGrew(_ distinct: Int, bytes: Int) {
        if bytes > dictionaryPageBytes || (distinct > Self.dictionaryTrialValues && distinct * 2 > valueCount) {
            fallBackToPlain()
        }
    }

    /// Row groups that start PLAIN after a chunk gave up its dictionary; the one after tries a
    /// dictionary again, in case the values began to repeat.
    ///
    /// Why: a column of hashes or amounts never repeats, yet each row group hashed its first
    /// 10,000+ values into a dictionary and then copied them out again (`dictionaryTrialValues`);
    /// with 8 MiB row groups that was most of each chunk, and the dictionaries were the Parquet
    /// export's largest cost after compression.
    static let plainRowGroupsAfterFallback = 7

    /// Turns the dictionary-encoded values into PLAIN ones: the dictionary grew past its limit
    /// (the values hardly repeat), or it would not make the chunk smaller. The whole chunk is
    /// then PLAIN, and so are the next `plainRowGroupsAfterFallback` row groups.
    func fallBackToPlain() {
        guard usesDictionary else { return }
        usesDictionary = false
        plainRowGroupsLeft = Self.plainRowGroupsAfterFallback
        // The dictionary's storage is freed, not kept for the next chunk: the next
        // `plainRowGroupsAfterFallback` chunks are PLAIN, and a hash column kept both a full
        // dictionary and its PLAIN values (peak RSS of a five-entity export 131–137 → 120–128 MB).
        switch storage {
        case .int64:
            integers.reserveCapacity(indices.count)
            integerDictionary.values.withUnsafeBufferPointer { values in
                for index in indices { integers.append(values[Int(index)]) }
            }
            integerDictionary = ParquetInt64Dictionary()
        case .byteArray, .fixedLengthByteArray:
            for index in indices { byteArrays.append(copying: Int(index), of: byteDictionary.values) }
            byteDictionary = ParquetByteArrayDictionary()
        case .boolean:
            break
        }
        indices.removeAll()
    }

    /// Forgets the written row group, keeping capacity for the next one.
    func reset() {
        rowCount = 0
        nullCount = 0
        plainBytes = 0
        definitionLevels.removeAll(keepingCapacity: true)
        booleans.removeAll(keepingCapacity: true)
        integers.removeAll(keepingCapacity: true)
        byteArrays.removeAll()
        indices.removeAll(keepingCapacity: true)
        integerDictionary.removeAll()
        byteDictionary.removeAll()
        if plainRowGroupsLeft > 0 {
            plainRowGroupsLeft -= 1
            usesDictionary = false
        } else {
            usesDictionary = Self.startsWithDictionary(storage, dictionaryPageBytes)
        }
    }
}
