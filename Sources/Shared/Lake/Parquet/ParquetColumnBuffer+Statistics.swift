// The min, max and null count of a buffered column chunk.

extension ParquetColumnBuffer {
    /// The chunk's statistics. A dictionary-encoded chunk's bounds come from its distinct
    /// values alone. Bounds longer than `maxBytes` are left out. Decimals compare as signed
    /// big-endian integers (their type-defined order).
    func statistics(maxBytes: Int) -> ParquetStatistics {
        var statistics = ParquetStatistics(nullCount: Int64(nullCount))
        switch storage {
        case .boolean:
            guard !booleans.isEmpty else { break }
            let hasFalse = booleans.contains(false), hasTrue = booleans.contains(true)
            statistics.minValue = [hasFalse ? 0 : 1]
            statistics.maxValue = [hasTrue ? 1 : 0]
        case .int64:
            let values = usesDictionary ? integerDictionary.values : integers
            guard let low = values.min(), let high = values.max() else { break }
            statistics.minValue = Self.littleEndian(low)
            statistics.maxValue = Self.littleEndian(high)
        case .byteArray, .fixedLengthByteArray:
            let values = usesDictionary ? byteDictionary.values : byteArrays
            guard values.count > 0 else { break }
            let signed = storage == .fixedLengthByteArray
            var low = 0, high = 0
            for index in 1..<values.count {
                if values.isLess(index, than: low, signed: signed) { low = index }
                if values.isLess(high, than: index, signed: signed) { high = index }
            }
            let lowRange = values.range(low), highRange = values.range(high)
            guard lowRange.count <= maxBytes && highRange.count <= maxBytes else { break }
            statistics.minValue = Array(values.bytes[lowRange])
            statistics.maxValue = Array(values.bytes[highRange])
        }
        return statistics
    }

    private static func littleEndian(_ value: Int64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
