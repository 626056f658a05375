// SyntheticChainParameters: what defines one synthetic chain (same values → same bytes).

/// Blocks are numbered 0…blockCount: block 0 is an empty genesis, blocks 1…blockCount
/// each carry `transactionsPerBlock` transactions.
struct SyntheticChainParameters: Sendable, Equatable {
    /// Seed of every pseudo-random choice.
    var seed: UInt64
    /// Number of blocks after genesis; the head is block `blockCount`.
    var blockCount: UInt64
    /// Transactions in each non-genesis block (default 100).
    var transactionsPerBlock: Int
    /// EIP-155 chain id (default 1, mainnet).
    var chainID: UInt64
    /// Unix time of block 0 (default 1_710_338_135, the Cancun fork).
    var genesisTimestamp: UInt64
    /// Seconds between blocks (default 12, as post-merge mainnet); with `blocksPerTimestamp` > 1,
    /// seconds between one timestamp and the next.
    var secondsPerBlock: UInt64
    /// Whether transactions also emit the contract events decoded tables are tested on
    /// (default true): ERC-1155 single and batch transfers, a Uniswap-V2-like factory and its
    /// pairs' Swap/Mint/Burn/Sync, Seaport orders, CCIP messages, Curve liquidity, ENS text
    /// records (an indexed string), and ERC-721 approvals. They replace some plain ETH transfers; every other transaction is the same
    /// either way (`--no-contract-events` serves the chain without them).
    var contractEvents: Bool
    /// Consecutive blocks that share a timestamp (default 1: every block has its own), as on L2s
    /// that make several blocks a second with one-second timestamps.
    var blocksPerTimestamp: UInt64

    init(seed: UInt64, blockCount: UInt64, transactionsPerBlock: Int = 100, chainID: UInt64 = 1,
         genesisTimestamp: UInt64 = 1_710_338_135, secondsPerBlock: UInt64 = 12, blocksPerTimestamp: UInt64 = 1,
         contractEvents: Bool = true) {
        self.seed = seed
        self.blockCount = blockCount
        self.transactionsPerBlock = transactionsPerBlock
        self.chainID = chainID
        self.genesisTimestamp = genesisTimestamp
        self.secondsPerBlock = secondsPerBlock
        self.contractEvents = contractEvents
        self.blocksPerTimestamp = blocksPerTimestamp
    }

    /// Block n's timestamp: blocks 0…k−1 have the genesis's, the next k one step later, … (k = `blocksPerTimestamp`).
    func timestamp(_ n: UInt64) -> UInt64 {
        genesisTimestamp + n / blocksPerTimestamp * secondsPerBlock
    }

    /// Pool sizes: enough variety for realistic token-transfer and address statistics.
    static let accountCount: UInt64 = 4096
    static let erc20TokenCount: UInt64 = 32
    static let erc721TokenCount: UInt64 = 16
    static let builderCount: UInt64 = 8
    static let withdrawalsPerBlock: UInt64 = 16

    func transactionCount(inBlock n: UInt64) -> Int {
        n == 0 ? 0 : transactionsPerBlock
    }

    func blockHash(_ n: UInt64) -> [UInt8] {
        SyntheticIdentity.hash(seed: seed, .block, n)
    }

    func transactionHash(_ n: UInt64, _ i: UInt64) -> [UInt8] {
        SyntheticIdentity.hash(seed: seed, .transaction, n, i)
    }

    func account(_ k: UInt64) -> [UInt8] {
        SyntheticIdentity.address(seed: seed, .account, k % Self.accountCount)
    }

    func erc20Token(_ k: UInt64) -> [UInt8] {
        SyntheticIdentity.address(seed: seed, .erc20Token, k % Self.erc20TokenCount)
    }

    func erc721Token(_ k: UInt64) -> [UInt8] {
        SyntheticIdentity.address(seed: seed, .erc721Token, k % Self.erc721TokenCount)
    }

    /// Base fee of block n, 5–25 gwei.
    func baseFee(_ n: UInt64) -> UInt64 {
        var rng = SplitMix64(seed, 0xBA5E, n)
        return 5_000_000_000 + rng.next(below: 20_000_000_000)
    }

    /// Excess blob gas of block n, a multiple of one blob's gas.
    func excessBlobGas(_ n: UInt64) -> UInt64 {
        var rng = SplitMix64(seed, 0xB10B, n)
        return rng.next(below: 40) * 131_072 * 8
    }

    /// EIP-4844 blob base fee for block n: fake_exponential(1, excess, 3338477).
    func blobGasPrice(_ n: UInt64) -> UInt64 {
        Self.fakeExponential(factor: 1, numerator: excessBlobGas(n), denominator: 3_338_477)
    }

    static func fakeExponential(factor: UInt64, numerator: UInt64, denominator: UInt64) -> UInt64 {
        var output: UInt64 = 0
        var accumulator = factor &* denominator
        var i: UInt64 = 1
        while accumulator > 0, i < 1000 {
            output &+= accumulator
            let (product, overflow) = accumulator.multipliedReportingOverflow(by: numerator)
            if overflow { return UInt64.max / denominator }
            accumulator = product / (denominator * i)
            i += 1
        }
        return output / denominator
    }
}
