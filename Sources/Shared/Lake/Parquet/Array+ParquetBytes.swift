// Reading a byte array's memory in a closure that throws ParquetError (typed).

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body with typed throws (the standard one rethrows `any Error`).
    func withParquetBytes(_ count: Int? = nil, _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> Void) throws(ParquetError) {
        var failure: ParquetError?
        withUnsafeBytes { raw in
            do throws(ParquetError) {
                try body(UnsafeRawBufferPointer(rebasing: raw[0..<(count ?? raw.count)]))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
