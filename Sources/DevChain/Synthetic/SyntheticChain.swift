// SyntheticChain: the synthetic chain's data — blocks by number or hash, transactions, code.

import Dispatch

/// Owns the render cache and the replica's view of the head (lag applied), and answers
/// lookups by decoding the invertible hashes of `SyntheticIdentity`.
final class SyntheticChain: Sendable {
    let parameters: SyntheticChainParameters
    /// This replica reports head − lag and treats blocks above as not yet known.
    let lagBlocks: UInt64
    let cache: BlockCache
    /// A growing chain starts at `startHead` and gains `growPerSecond` blocks a second up to
    /// `blockCount`, so follow mode can be tested against a moving head.
    let startHead: UInt64
    let growPerSecond: Double
    let started = ContinuousClock.now

    init(parameters: SyntheticChainParameters, lagBlocks: UInt64 = 0, cacheCapacity: Int = 1024, startHead: UInt64? = nil, growPerSecond: Double = 0) {
        self.parameters = parameters
        self.lagBlocks = lagBlocks
        cache = BlockCache(capacity: cacheCapacity)
        self.startHead = min(startHead ?? parameters.blockCount, parameters.blockCount)
        self.growPerSecond = growPerSecond
    }

    /// The head this replica reports.
    var head: UInt64 {
        var top = startHead
        if growPerSecond > 0 {
            let elapsed = (ContinuousClock.now - started).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            let grown = min(seconds * growPerSecond, Double(parameters.blockCount))
            top = min(parameters.blockCount, startHead + UInt64(grown))
        }
        return top >= lagBlocks ? top - lagBlocks : 0
    }

    /// Block n, or nil when above the reported head.
    func block(_ n: UInt64) -> SyntheticBlock? {
        guard n <= head else { return nil }
        return cache.block(n) { SyntheticBlockBuilder.build(parameters, number: n) }
    }

    /// Renders blocks 0…blockCount into the cache on `threads` threads (the cache must hold them all).
    func precompute(threads: Int) {
        let count = Int(clamping: parameters.blockCount) + 1
        let workers = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var n = worker
            while n < count {
                _ = cache.block(UInt64(n)) { SyntheticBlockBuilder.build(parameters, number: UInt64(n)) }
                n += workers
            }
        }
    }

    func blockNumber(forHash hash: [UInt8]) -> UInt64? {
        guard let (n, i) = SyntheticIdentity.decode(seed: parameters.seed, .block, hash), i == 0, n <= head else { return nil }
        return n
    }

    /// (block, index) of a transaction hash known to this replica.
    func locateTransaction(_ hash: [UInt8]) -> (block: UInt64, index: Int)? {
        guard let (n, i) = SyntheticIdentity.decode(seed: parameters.seed, .transaction, hash),
              n <= head, i < UInt64(parameters.transactionCount(inBlock: n)) else { return nil }
        return (n, Int(i))
    }

    /// What an address is on this chain, for eth_getCode and eth_call.
    enum Account: Equatable {
        case erc20(UInt64)
        case erc721(UInt64)
        case created(block: UInt64, index: UInt64)
        /// Created by a contract in transaction (block, index).
        case inner(block: UInt64, index: UInt64, kind: InnerContractKind)
        /// Uniswap-V2-like pair k (created by the factory in `SyntheticProtocols.pairCreationBlock(k)`).
        case pair(UInt64)
        /// A contract-event protocol contract (factory, router, Seaport, Curve, ENS resolver, on-ramp) or an ERC-1155 collection.
        case protocolContract(erc1155: Bool)
        case externallyOwned
    }

    func account(_ address: [UInt8]) -> Account {
        let seed = parameters.seed
        if let (k, i) = SyntheticIdentity.decode(seed: seed, .erc20Token, address), i == 0, k < SyntheticChainParameters.erc20TokenCount {
            return .erc20(k)
        }
        if let (k, i) = SyntheticIdentity.decode(seed: seed, .erc721Token, address), i == 0, k < SyntheticChainParameters.erc721TokenCount {
            return .erc721(k)
        }
        if let (n, i) = SyntheticIdentity.decode(seed: seed, .contract, address), n <= head,
           i < UInt64(parameters.transactionCount(inBlock: n)) {
            let tx = SyntheticTransaction(parameters: parameters, number: n, index: i)
            if tx.kind == .contractCreation { return .created(block: n, index: i) }
        }
        if let (n, i) = SyntheticIdentity.decode(seed: seed, .innerContract, address), n <= head,
           i < UInt64(parameters.transactionCount(inBlock: n)),
           let inner = SyntheticTrace.innerCreation(parameters, SyntheticTransaction(parameters: parameters, number: n, index: i)) {
            return .inner(block: n, index: i, kind: inner.kind)
        }
        if parameters.contractEvents {
            if let (k, i) = SyntheticIdentity.decode(seed: seed, .uniswapPair, address), i == 0, k < 1 << 32 {
                let block = SyntheticProtocols.pairCreationBlock(k)
                if block <= head, parameters.transactionCount(inBlock: block) > 0 { return .pair(k) }
            }
            if let (k, i) = SyntheticIdentity.decode(seed: seed, .erc1155Token, address), i == 0, k < SyntheticProtocols.erc1155TokenCount + 2 {
                return .protocolContract(erc1155: true)
            }
            if [SyntheticProtocols.factory, SyntheticProtocols.router, SyntheticProtocols.seaport, SyntheticProtocols.curve3pool,
                SyntheticProtocols.ensResolver, SyntheticProtocols.onRamp(seed: seed)].contains(address) {
                return .protocolContract(erc1155: false)
            }
        }
        return .externallyOwned
    }

    /// Deployed code at an address (empty for accounts without code).
    func code(at address: [UInt8]) -> [UInt8] {
        switch account(address) {
        case .erc20: return Self.dispatcherCode(selectors: Self.erc20Selectors)
        case .erc721: return Self.dispatcherCode(selectors: Self.erc721Selectors)
        case .created(let n, let i): return SyntheticTransaction.runtimeCode(seed: parameters.seed, n, i)
        case .inner(_, _, let kind): return SyntheticTrace.code(parameters, kind: kind, address: address)
        case .pair: return Self.dispatcherCode(selectors: SyntheticProtocols.pairSelectors)
        case .protocolContract(let erc1155): return Self.dispatcherCode(selectors: erc1155 ? SyntheticProtocols.erc1155Selectors : SyntheticProtocols.protocolSelectors)
        case .externallyOwned: return []
        }
    }

    static let erc20Selectors: [UInt32] = [0x06FD_DE03, 0x095E_A7B3, 0x1816_0DDD, 0x23B8_72DD, 0x313C_E567, 0x70A0_8231, 0x95D8_9B41, 0xA905_9CBB, 0xDD62_ED3E]
    static let erc721Selectors: [UInt32] = [0x01FF_C9A7, 0x06FD_DE03, 0x0818_12FC, 0x095E_A7B3, 0x23B8_72DD, 0x4284_2E0E, 0x6352_211E, 0x70A0_8231, 0x95D8_9B41, 0xA22C_B465, 0xB88D_4FDE, 0xE985_E9C5]

    /// A solc-style function dispatcher (DUP1 PUSH4 sel EQ PUSH2 dest JUMPI per selector), so
    /// exporters that classify contracts by the PUSH4 selectors in their bytecode see a token.
    static func dispatcherCode(selectors: [UInt32]) -> [UInt8] {
        var code: [UInt8] = [0x60, 0x80, 0x60, 0x40, 0x52, 0x60, 0x04, 0x36, 0x10, 0x61, 0x00, 0xFF, 0x57, 0x60, 0x00, 0x35, 0x60, 0xE0, 0x1C]
        for (k, selector) in selectors.enumerated() {
            code += [0x80, 0x63, UInt8(selector >> 24), UInt8((selector >> 16) & 0xFF), UInt8((selector >> 8) & 0xFF), UInt8(selector & 0xFF),
                     0x14, 0x61, 0x01, UInt8(k), 0x57]
        }
        code += [0x5B, 0x60, 0x00, 0x80, 0xFD, 0xFE]
        return code
    }

    /// eth_call against the token pools: ERC20/721 metadata; other selectors revert;
    /// calls to accounts without code return `0x`, as geth does.
    /// `at`: the block the call reads (nil: latest); contracts created by contracts exist from
    /// their block on.
    func call(to address: [UInt8], data: [UInt8], at block: UInt64? = nil) -> RPCOutcome {
        let selector = data.count >= 4 ? UInt32(data[0]) << 24 | UInt32(data[1]) << 16 | UInt32(data[2]) << 8 | UInt32(data[3]) : 0
        let reverted = RPCOutcome.error(RPCError(code: 3, message: "execution reverted"))
        switch account(address) {
        case .erc20(let k):
            switch selector {
            case 0x06FD_DE03: return Self.abiString("Dev Token \(k)")
            case 0x95D8_9B41: return Self.abiString("DT\(k)")
            case 0x313C_E567: return Self.abiWord([18, 6, 8, 0][Int(k % 4)])
            case 0x1816_0DDD: return Self.abiWord(SplitMix64.mix(parameters.seed, 0x70_7A1, k) >> 8)
            default: return reverted
            }
        case .erc721(let k):
            switch selector {
            case 0x06FD_DE03: return Self.abiString("Dev Collectible \(k)")
            case 0x95D8_9B41: return Self.abiString("DC\(k)")
            default: return reverted
            }
        case .created:
            return reverted
        case .inner(let n, let i, let kind):
            if let block, block < n { return .result(Array("\"0x\"".utf8)) }
            return SyntheticTrace.call(parameters, kind: kind, n: n, i: i, selector: selector)
        case .pair(let k):
            if let block, block < SyntheticProtocols.pairCreationBlock(k) { return .result(Array("\"0x\"".utf8)) }
            return reverted
        case .protocolContract:
            return reverted
        case .externallyOwned:
            return .result(Array("\"0x\"".utf8))
        }
    }

    static func abiWord(_ value: UInt64) -> RPCOutcome {
        var word = [UInt8](repeating: 0, count: 24)
        for shift in stride(from: 56, through: 0, by: -8) { word.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        var out: [UInt8] = []
        JSONBytes.appendData(word, to: &out)
        return .result(out)
    }

    static func abiString(_ text: String) -> RPCOutcome {
        let bytes = Array(text.utf8)
        var encoded = SyntheticTransaction.word([0x20]) + SyntheticTransaction.word([UInt8(bytes.count)]) + bytes
        encoded += [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
        var out: [UInt8] = []
        JSONBytes.appendData(encoded, to: &out)
        return .result(out)
    }
}
