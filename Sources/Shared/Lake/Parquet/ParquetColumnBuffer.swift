// The values of one column waiting for the next row group, appended one at a time.

import Foundation

/// Holds one column's values until the writer writes the row group, dictionary-encoding them
/// as they come while that pays (see `ParquetWriterConfiguration.dictionaryPageBytes`).
///
/// Appends do not throw, so a row's values can be appended in a tight loop: a value of the
/// wrong type or a null in a non-nullable column is remembered, and the writer's next
/// `endBatch()` throws it (naming the column) and refuses further work.
public final class ParquetColumnBuffer {
    public let column: ParquetColumn
    /// Rows appended since the last row group was written.
    public private(set) var rowCount = 0

    let storage: ParquetColumnType.Storage
    let dictionaryPageBytes: Int
    /// The first misuse seen, thrown by the writer at the end of the batch.
    private(set) var problem: ParquetError?

    // Definition levels of a nullable column: 1 for a value, 0 for a null.
    private(set) var definitionLevels: [UInt8] = []
    private(set) var nullCount = 0
    /// The chunk's values in PLAIN encoding would take this many bytes (row group sizing).
    private(set) var plainBytes = 0

    // PLAIN storage.
    private(set) var booleans: [Bool] = []
    private(set) var integers: [Int64] = []
    private(set) var byteArrays = ParquetByteArrays()

    // Dictionary storage: the distinct values, and each value's index into them.
    private(set) var usesDictionary: Bool
    private(set) var indices: [UInt32] = []
    private var integerIndex: [Int64: UInt32] = [:]
    private(set) var integerDictionary: [Int64] = []
    private(set) var byteDictionary = ParquetByteArrayDictionary()

    init(column: ParquetColumn, dictionaryPageBytes: Int) {
        self.column = column
        self.storage = column.type.storage
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
        if let index = integerIndex[value] {
            indices.append(index)
            return
        }
        let index = UInt32(integerDictionary.count)
        integerIndex[value] = index
        integerDictionary.append(value)
        indices.append(index)
        if integerDictionary.count * 8 > dictionaryPageBytes { fallBackToPlain() }
    }

    /// A `timestamp` column's value given in whole seconds since 1970 UTC (Ethereum block
    /// timestamps), scaled to the column's unit.
    public func append(epochSeconds: Int64) {
        guard case .timestamp(let unit) = column.type else { return refuse("a timestamp") }
        let (scaled, overflow) = epochSeconds.multipliedReportingOverflow(by: unit == .milliseconds ? 1_000 : 1_000_000)
        guard !overflow else { return refuse("\(epochSeconds) seconds, out of range") }
        append(scaled)
    }

    /// A `string` column's value (also accepted by `bytes` columns, as its UTF-8).
    public func append(_ value: String) {
        var value = value
        value.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A `bytes` column's value (also accepted by `string` columns, which must get UTF-8).
    public func append(bytes value: UnsafeRawBufferPointer) {
        guard storage == .byteArray else { return refuse("bytes") }
        present()
        plainBytes += 4 + value.count
        guard usesDictionary else { return byteArrays.append(value) }
        indices.append(byteDictionary.index(of: value))
        if byteDictionary.plainBytes > dictionaryPageBytes { fallBackToPlain() }
    }

    /// A `bytes` column's value from any collection of bytes (`[UInt8]`, `Data`, a slice).
    public func append(bytes value: some Sequence<UInt8>) {
        let done: Void? = value.withContiguousStorageIfAvailable { append(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(value).withUnsafeBytes { append(bytes: $0) } }
    }

    /// A null, for a nullable column.
    public func appendNull() {
        guard column.nullable else { return refuse("null (the column is not nullable)") }
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
        problem = ParquetError(.invalidValue, "got \(what) for a \(column.type)\(column.nullable ? " nullable" : "") column (row \(rowCount) of the batch)", column: column.name)
    }

    /// Values that are not null.
    var valueCount: Int { rowCount - nullCount }

    /// Turns the dictionary-encoded values into PLAIN ones: the dictionary grew past its limit
    /// (the values hardly repeat), or it would not make the chunk smaller. The whole chunk is
    /// then PLAIN; the next row group tries a dictionary again.
    func fallBackToPlain() {
        guard usesDictionary else { return }
        usesDictionary = false
        switch storage {
        case .int64:
            integers.reserveCapacity(indices.count)
            for index in indices { integers.append(integerDictionary[Int(index)]) }
            integerIndex.removeAll()
            integerDictionary.removeAll()
        case .byteArray:
            for index in indices { byteArrays.append(copying: Int(index), of: byteDictionary.values) }
            byteDictionary.removeAll()
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
        integerIndex.removeAll(keepingCapacity: true)
        integerDictionary.removeAll(keepingCapacity: true)
        byteDictionary.removeAll()
        usesDictionary = Self.startsWithDictionary(storage, dictionaryPageBytes)
    }
}
