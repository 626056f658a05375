// BlockTag: a block parameter (number or tag) and its resolution against the head.

/// geth resolves `finalized`/`safe` from the consensus client; devchain models them as
/// fixed distances behind the head (64 and 32 blocks, two and one epochs), clamped at 0.
enum BlockTag: Sendable, Equatable {
    case number(UInt64)
    case latest, pending, earliest, safe, finalized

    static let finalizedDistance: UInt64 = 64
    static let safeDistance: UInt64 = 32

    /// Parses `0x…`, `latest`, `pending`, `earliest`, `safe`, `finalized`.
    init?(_ text: String) {
        switch text {
        case "latest": self = .latest
        case "pending": self = .pending
        case "earliest": self = .earliest
        case "safe": self = .safe
        case "finalized": self = .finalized
        default:
            guard let n = Hex.parseQuantity(text) else { return nil }
            self = .number(n)
        }
    }

    /// The block number this tag names when the head is `head` (may exceed the head for numbers).
    func resolve(head: UInt64) -> UInt64 {
        switch self {
        case .number(let n): n
        case .latest, .pending: head
        case .earliest: 0
        case .safe: head >= Self.safeDistance ? head - Self.safeDistance : 0
        case .finalized: head >= Self.finalizedDistance ? head - Self.finalizedDistance : 0
        }
    }
}
