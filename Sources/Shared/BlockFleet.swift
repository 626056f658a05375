// Product-wide constants.

/// BlockFleet's identity, reported by workers when they register and by `--version`.
public enum BlockFleet {
    public static let version = "0.1.0"
}
