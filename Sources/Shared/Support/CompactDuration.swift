// Durations for people: `1h02m`, `4m05s`, `12s`.

public enum CompactDuration {
    /// `seconds` rounded to whole seconds and shown with its two largest units.
    public static func text(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(twoDigits((total % 3600) / 60))m" }
        if total >= 60 { return "\(total / 60)m\(twoDigits(total % 60))s" }
        return "\(total)s"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
