// The UTC date of a block, which partitions the lake (`block_date=YYYY-MM-DD`).

/// A UTC calendar day, from a block's unix timestamp. Ordered; its text is `YYYY-MM-DD`.
public struct BlockDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let days: Int64

    public init(days: Int64) {
        self.days = days
    }

    /// The UTC day holding `timestamp` (seconds since 1970; floor, so earlier instants work too).
    public init(timestamp: Int64) {
        days = timestamp >= 0 ? timestamp / 86_400 : -((-timestamp + 86_399) / 86_400)
    }

    public static func < (lhs: BlockDate, rhs: BlockDate) -> Bool { lhs.days < rhs.days }

    /// `YYYY-MM-DD` (Howard Hinnant's `civil_from_days`, exact for any day).
    public var description: String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let pad = { (value: Int64, width: Int) in String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
