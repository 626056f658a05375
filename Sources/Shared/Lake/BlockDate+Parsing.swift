// A `BlockDate` from the `YYYY-MM-DD` text users type, and the UTC instants that bound it.

extension BlockDate {
    /// The day `text` names, strictly `YYYY-MM-DD` (ethereum-etl's `%Y-%m-%d`, zero-padded): nil for
    /// anything else, including days that do not exist (`2023-02-29`), so a typo is never a
    /// silently different day.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's `days_from_civil`, the inverse of `description`.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.init(days: era * 146_097 + dayOfEra - 719_468)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Unix time of 00:00:00 UTC that day.
    public var firstSecond: Int64 { days * 86_400 }
    /// Unix time of 23:59:59 UTC that day: ethereum-etl's end of a date (`datetime.max.time()`,
    /// truncated to whole seconds, as block timestamps are).
    public var lastSecond: Int64 { days * 86_400 + 86_399 }

    /// `YYYY-MM-DD HH:MM:SS UTC` of a unix timestamp, for messages.
    public static func utcText(_ timestamp: Int64) -> String {
        let date = BlockDate(timestamp: timestamp)
        let second = timestamp - date.firstSecond
        let two = { (value: Int64) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(date) \(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) UTC"
    }
}
