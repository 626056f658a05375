// Encoding a buffered column chunk into its dictionary page and data pages.

extension ParquetColumnBuffer {
    /// The bit width of dictionary indices.
    var indexBitWidth: Int { ParquetHybridEncoder.bitWidth(forMaximum: max(0, dictionaryCount - 1)) }

    var dictionaryCount: Int {
        switch storage {
        case .int64: integerDictionary.count
        case .byteArray, .fixedLengthByteArray: byteDictionary.count
        case .boolean: 0
        }
    }

    /// Keeps the dictionary only when the dictionary page plus the packed indices come out
    /// smaller than the PLAIN values (a chunk of unique hashes does not).
    func chooseEncoding() {
        guard usesDictionary else { return }
        let indexBytes = (valueCount * indexBitWidth + 7) / 8
        if dictionaryCount == 0 || dictionaryPlainBytes + indexBytes >= plainBytes { fallBackToPlain() }
    }

    /// Cuts the chunk into pages of about `pageBytes` (as encoded, before compression) and at
    /// most `pageRows` rows.
    func pageSlices(pageBytes: Int, pageRows: Int) -> [ParquetPageSlice] {
        var slices: [ParquetPageSlice] = []
        let pageBits = pageBytes * 8
        let dictionaryBits = usesDictionary ? indexBitWidth : 0
        var rowStart = 0, valueStart = 0, value = 0, bits = 0
        for row in 0..<rowCount {
            if !column.nullable || definitionLevels[row] != 0 {
                switch storage {
                case _ where usesDictionary: bits += dictionaryBits
                case .boolean: bits += 1
                case .int64: bits += 64
                case .byteArray: bits += (4 + byteArrays.range(value).count) * 8
                case .fixedLengthByteArray: bits += fixedLength * 8
                }
                value += 1
            }
            if bits >= pageBits || row + 1 - rowStart >= pageRows {
                slices.append(ParquetPageSlice(rows: rowStart..<(row + 1), values: valueStart..<value))
                rowStart = row + 1
                valueStart = value
                bits = 0
            }
        }
        if rowStart < rowCount {
            slices.append(ParquetPageSlice(rows: rowStart..<rowCount, values: valueStart..<value))
        }
        return slices
    }

    /// The dictionary page's body: the distinct values, PLAIN.
    func encodeDictionaryPage(into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        switch storage {
        case .int64: integerDictionary.values.withUnsafeBytes { out.append(contentsOf: $0) }
        case .byteArray: byteDictionary.values.encodePlain(0..<byteDictionary.count, into: &out)
        case .fixedLengthByteArray: out.append(contentsOf: byteDictionary.values.bytes)
        case .boolean: break
        }
    }

    /// A v1 data page's body: definition levels (nullable columns) and the values, PLAIN or
    /// as dictionary indices.
    func encodeDataPage(_ slice: ParquetPageSlice, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if column.nullable {
            // The levels' byte length comes first (v1 pages), filled in once known.
            out.append(contentsOf: [0, 0, 0, 0])
            definitionLevels.withUnsafeBufferPointer {
                ParquetHybridEncoder.encode(UnsafeBufferPointer(rebasing: $0[slice.rows]), bitWidth: 1, into: &out)
            }
            let length = UInt32(out.count - 4)
            for byte in 0..<4 { out[byte] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(byte))) }
        }
        if usesDictionary {
            out.append(UInt8(indexBitWidth))
            indices.withUnsafeBufferPointer {
                ParquetHybridEncoder.encode(UnsafeBufferPointer(rebasing: $0[slice.values]), bitWidth: indexBitWidth, into: &out)
            }
            return
        }
        switch storage {
        case .boolean:
            // PLAIN booleans: one bit each, LSB first.
            var byte: UInt8 = 0
            var bit = 0
            for value in booleans[slice.values] {
                if value { byte |= 1 << bit }
                bit += 1
                if bit == 8 {
                    out.append(byte)
                    byte = 0
                    bit = 0
                }
            }
            if bit > 0 { out.append(byte) }
        case .int64:
            // Little-endian hosts only (x86-64, arm64): the array's bytes are PLAIN INT64.
            integers.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[(slice.values.lowerBound * 8)..<(slice.values.upperBound * 8)])) }
        case .byteArray:
            byteArrays.encodePlain(slice.values, into: &out)
        case .fixedLengthByteArray:
            // PLAIN FIXED_LEN_BYTE_ARRAY: the values end to end, no lengths.
            out.append(contentsOf: byteArrays.bytes[(slice.values.lowerBound * fixedLength)..<(slice.values.upperBound * fixedLength)])
        }
    }
}
