// SyntheticCallFrame: one call of a synthetic transaction's call tree, and the tree's plan.

/// A call as geth's callTracer reports it; the parity rendering is derived from the same tree.
struct SyntheticCallFrame: Sendable, Equatable {
    /// geth's opcode name: CALL, STATICCALL, DELEGATECALL, CREATE, CREATE2, SELFDESTRUCT.
    var type: String
    var from: [UInt8]
    var to: [UInt8]
    /// nil where geth omits it (STATICCALL).
    var value: UInt64?
    var gas: UInt64
    var gasUsed: UInt64
    var input: [UInt8]
    var output: [UInt8]
    /// Set for a reverted call ("execution reverted" in geth, "Reverted" in parity).
    var reverted: Bool = false
    var calls: [SyntheticCallFrame] = []
}

/// Contracts created inside a transaction by a factory, with metadata quirks for token exporters.
enum InnerContractKind: UInt64, Sendable, CaseIterable {
    /// ERC20 with string name and symbol, 18 decimals.
    case erc20
    /// ERC20 whose name and symbol are bytes32 (as MKR's), with no upper-case variants.
    case erc20Bytes32
    /// ERC20 without decimals (both decimals() and DECIMALS() revert).
    case erc20NoDecimals
    /// ERC20 whose every metadata call reverts.
    case erc20Reverting
    /// ERC20 answering only the upper-case NAME(), SYMBOL(), DECIMALS().
    case erc20UpperCase
    /// ERC721 (name and symbol; no decimals; no totalSupply).
    case erc721
    /// A contract that is no token.
    case plain
    /// ERC20 whose texts hold NULs and non-ASCII, and whose decimals word has high bytes set.
    case erc20OddText
}
