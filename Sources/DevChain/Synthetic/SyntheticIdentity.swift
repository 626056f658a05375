// SyntheticIdentity: invertible pseudo-random hashes and addresses for the synthetic chain.

/// Every hash and address the synthetic chain hands out encodes (domain, n, i) under a
/// seed-keyed mask, so a lookup by hash decodes its position and re-derives it to verify —
/// no global index, constant memory however long the chain.
enum SyntheticIdentity {
    /// Keeps block hashes, tx hashes and address kinds from ever colliding.
    enum Domain: UInt64, Sendable {
        case block = 1
        case transaction = 2
        case account = 3
        case contract = 4
        case erc20Token = 5
        case erc721Token = 6
        case builder = 7
        case withdrawal = 8
        /// Contracts created by a contract (a factory call inside transaction i of block n).
        case innerContract = 9
        /// Uniswap-V2-like pairs, by pair number (see `SyntheticProtocols`).
        case uniswapPair = 10
        /// ERC-1155 collections.
        case erc1155Token = 11
        /// Other protocol contracts of the synthetic chain (the CCIP on-ramp).
        case protocolContract = 12
    }

    /// Maximum index inside one block (20 bits); positions are (n << 20) | i.
    static let indexBits: UInt64 = 20

    static func hash(seed: UInt64, _ domain: Domain, _ n: UInt64, _ i: UInt64 = 0) -> [UInt8] {
        make(seed: seed, domain, n, i, length: 32)
    }

    static func address(seed: UInt64, _ domain: Domain, _ n: UInt64, _ i: UInt64 = 0) -> [UInt8] {
        make(seed: seed, domain, n, i, length: 20)
    }

    /// The (n, i) a hash or address was made from, or nil when it is not one of ours.
    static func decode(seed: UInt64, _ domain: Domain, _ bytes: [UInt8]) -> (n: UInt64, i: UInt64)? {
        guard bytes.count == 32 || bytes.count == 20 else { return nil }
        let mask = maskWord(seed: seed, domain, prefix: bytes)
        var tail: UInt64 = 0
        for b in bytes[(bytes.count - 8)...] { tail = tail << 8 | UInt64(b) }
        let position = tail ^ mask
        let n = position >> indexBits
        let i = position & ((1 << indexBits) - 1)
        guard make(seed: seed, domain, n, i, length: bytes.count) == bytes else { return nil }
        return (n, i)
    }

    private static func make(seed: UInt64, _ domain: Domain, _ n: UInt64, _ i: UInt64, length: Int) -> [UInt8] {
        var rng = SplitMix64(seed, domain.rawValue, n, i)
        var out = rng.nextBytes(length - 8)
        let position = n << indexBits | (i & ((1 << indexBits) - 1))
        let tail = position ^ maskWord(seed: seed, domain, prefix: out)
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: tail >> UInt64(shift)))
        }
        return out
    }

    private static func maskWord(seed: UInt64, _ domain: Domain, prefix: [UInt8]) -> UInt64 {
        var head: UInt64 = 0
        for b in prefix.prefix(8) { head = head << 8 | UInt64(b) }
        return SplitMix64.mix(seed, domain.rawValue &* 0x51, head)
    }
}
