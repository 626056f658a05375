// Reading a `YYYY-MM-DD` date back into a BlockDate (flags such as `--from-date`).

extension BlockDate {
    /// The day written `YYYY-MM-DD` (a real calendar day), or nil for any other text.
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        // Howard Hinnant's `days_from_civil`, the inverse of `description`.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.init(days: era * 146_097 + dayOfEra - 719_468)
        // 2024-02-30 would land on another day; only a round trip proves the day exists.
        guard description == text else { return nil }
    }
}
