// SyntheticTransaction: the deterministic content of transaction i of block n, and its receipt.

/// Derived from (seed, n, i) alone, so any transaction can be re-derived to answer a
/// lookup by hash or contract address without generating or indexing the whole chain.
struct SyntheticTransaction: Sendable {
    /// What the transaction does; drives its input, logs and receipt.
    enum Kind: Sendable, Equatable {
        case transfer, erc20Transfer, erc721Transfer, contractCreation, reverted
        /// Contract events (`SyntheticChainParameters.contractEvents`), see `SyntheticProtocols`.
        case erc1155Single, erc1155Batch, pairCreation, uniswapSwap, uniswapMint, uniswapBurn
        case seaportFulfill, ccipSend, curveAddLiquidity, erc721Approval, ensTextChanged
    }

    /// A call the transaction's top call makes (its children in the trace), in order.
    struct PlannedCall: Sendable {
        /// geth's opcode name: CALL or CREATE2.
        var type: String
        var to: [UInt8]
        var input: [UInt8]
        var output: [UInt8]
    }

    struct AccessListEntry: Sendable {
        var address: [UInt8]
        var storageKeys: [[UInt8]]
    }

    struct Log: Sendable {
        var address: [UInt8]
        var topics: [[UInt8]]
        var data: [UInt8]
    }

    static let transferTopic: [UInt8] = Hex.parseData("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef") ?? []
    static let approvalTopic: [UInt8] = Hex.parseData("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925") ?? []
    /// Gas one blob consumes (EIP-4844 GAS_PER_BLOB).
    static let gasPerBlob: UInt64 = 131_072

    var number: UInt64
    var index: UInt64
    var type: UInt64
    var kind: Kind
    /// Legacy only: signed with EIP-155 replay protection (has chainId, v = 2·id+35+parity).
    var eip155: Bool
    var hash: [UInt8]
    var from: [UInt8]
    var to: [UInt8]?
    var nonce: UInt64
    var gas: UInt64
    var gasUsed: UInt64
    var value: UInt64
    /// Effective gas price (what a mined tx's `gasPrice` and its receipt show).
    var gasPrice: UInt64
    var maxFeePerGas: UInt64
    var maxPriorityFeePerGas: UInt64
    var maxFeePerBlobGas: UInt64
    var input: [UInt8]
    var accessList: [AccessListEntry]
    var blobVersionedHashes: [[UInt8]]
    var v: UInt64
    var r: [UInt8]
    var s: [UInt8]
    var yParity: UInt64
    var logs: [Log]
    var contractAddress: [UInt8]?
    var succeeded: Bool
    /// The top call's children and return data, for the contract-event kinds (traces).
    var calls: [PlannedCall] = []
    var callOutput: [UInt8] = []

    var blobGasUsed: UInt64 { UInt64(blobVersionedHashes.count) * Self.gasPerBlob }

    /// Transaction i of block n. Mix: ~12% legacy, ~8% access-list, ~70% dynamic-fee, ~10% blob;
    /// kinds: ~40% ERC20, ~10% ERC721, ~6% creations, ~5% reverted, the rest plain transfers;
    /// with contract events, 17 of the plain transfers' 39 points go to them (rates at
    /// `contractEventKind(_:block:)`) and transaction 0 of a pair-creation block creates the pair.
    init(parameters p: SyntheticChainParameters, number n: UInt64, index i: UInt64) {
        var rng = SplitMix64(p.seed, 0x7105, n, i)
        number = n
        index = i
        hash = p.transactionHash(n, i)
        let baseFee = p.baseFee(n)

        let typeDraw = rng.next(below: 100)
        type = typeDraw < 12 ? 0 : typeDraw < 20 ? 1 : typeDraw < 90 ? 2 : 3
        eip155 = type == 0 && rng.next(below: 10) >= 3

        let kindDraw = rng.next(below: 100)
        if type == 3 {
            kind = .transfer
        } else if kindDraw < 40 {
            kind = .erc20Transfer
        } else if kindDraw < 50 {
            kind = .erc721Transfer
        } else if kindDraw < 56 {
            kind = .contractCreation
        } else if kindDraw < 61 {
            kind = .reverted
        } else if p.contractEvents, let eventKind = Self.contractEventKind(kindDraw, block: n) {
            kind = eventKind
        } else {
            kind = .transfer
        }
        if p.contractEvents, i == 0, SyntheticProtocols.pairCreated(inBlock: n) != nil {
            kind = .pairCreation
            if type == 3 { type = 2 }
        }

        let fromIndex = rng.next(below: SyntheticChainParameters.accountCount)
        from = p.account(fromIndex)
        let counterparty = p.account(rng.next(below: SyntheticChainParameters.accountCount))
        nonce = rng.next(below: 5000)

        let tip = 10_000_000 + rng.next(below: 2_000_000_000)
        switch type {
        case 0, 1:
            gasPrice = baseFee + tip
            maxFeePerGas = 0
            maxPriorityFeePerGas = 0
        default:
            maxPriorityFeePerGas = tip
            // Sometimes the fee cap binds, so effective price < baseFee + tip.
            maxFeePerGas = baseFee + rng.next(below: tip * 2 + 1)
            gasPrice = min(maxFeePerGas, baseFee + tip)
        }
        maxFeePerBlobGas = type == 3 ? p.blobGasPrice(n) + 1 + rng.next(below: 1_000_000_000) : 0
        blobVersionedHashes = []
        if type == 3 {
            let count = 1 + rng.next(below: 3)
            for _ in 0..<count {
                var h = rng.nextBytes(32)
                h[0] = 0x01 // VERSIONED_HASH_VERSION_KZG
                blobVersionedHashes.append(h)
            }
        }

        accessList = []
        if type == 1 || (type >= 2 && rng.next(below: 5) == 0) {
            let entries = 1 + rng.next(below: 2)
            for _ in 0..<entries {
                let keys = rng.next(below: 3)
                accessList.append(AccessListEntry(
                    address: p.erc20Token(rng.next()),
                    storageKeys: (0..<keys).map { _ in rng.nextBytes(32) }
                ))
            }
        }

        logs = []
        contractAddress = nil
        succeeded = true
        value = 0
        switch kind {
        case .transfer:
            to = counterparty
            value = rng.next(below: 5_000_000_000_000_000_000)
            input = []
            gasUsed = 21_000
        case .erc20Transfer:
            let amount = rng.nextBytes(12)
            let token = p.erc20Token(rng.next())
            to = token
            input = [0xA9, 0x05, 0x9C, 0xBB] + Self.word(counterparty) + Self.word(amount)
            logs.append(Log(address: token, topics: [Self.transferTopic, Self.word(from), Self.word(counterparty)], data: Self.word(amount)))
            // Routed swaps emit several transfers, sometimes with an approval.
            let extra = rng.next(below: 4) == 0 ? 1 + rng.next(below: 2) : 0
            for _ in 0..<extra {
                let hopToken = p.erc20Token(rng.next())
                let hopTo = p.account(rng.next(below: SyntheticChainParameters.accountCount))
                logs.append(Log(address: hopToken, topics: [Self.transferTopic, Self.word(counterparty), Self.word(hopTo)], data: Self.word(rng.nextBytes(10))))
            }
            if rng.next(below: 10) == 0 {
                logs.append(Log(address: token, topics: [Self.approvalTopic, Self.word(from), Self.word(counterparty)], data: Self.word(rng.nextBytes(16))))
            }
            gasUsed = 34_000 + 17_000 * UInt64(logs.count) + rng.next(below: 20_000)
        case .erc721Transfer:
            let token = p.erc721Token(rng.next())
            let tokenID = rng.nextBytes(4)
            to = token
            input = [0x23, 0xB8, 0x72, 0xDD] + Self.word(from) + Self.word(counterparty) + Self.word(tokenID)
            logs.append(Log(address: token, topics: [Self.transferTopic, Self.word(from), Self.word(counterparty), Self.word(tokenID)], data: []))
            gasUsed = 55_000 + rng.next(below: 30_000)
        case .contractCreation:
            to = nil
            input = Self.initCode(seed: p.seed, n, i)
            contractAddress = SyntheticIdentity.address(seed: p.seed, .contract, n, i)
            gasUsed = 53_000 + 200 * UInt64(Self.runtimeCode(seed: p.seed, n, i).count) + 16 * UInt64(input.count)
        case .reverted:
            to = p.erc20Token(rng.next())
            input = [0xA9, 0x05, 0x9C, 0xBB] + Self.word(counterparty) + Self.word(rng.nextBytes(20))
            succeeded = false
            gasUsed = 22_000 + rng.next(below: 30_000)
        default:
            let planned = Self.contractEvent(kind, p, number: n, from: from, counterparty: counterparty, rng: &rng)
            to = planned.to
            input = planned.input
            logs = planned.logs
            calls = planned.calls
            callOutput = planned.output
            gasUsed = planned.gasUsed
        }
        gas = gasUsed + rng.next(below: gasUsed / 2 + 1)

        r = rng.nextBytes(32)
        s = rng.nextBytes(32)
        s[0] &= 0x7F // low-s, as EIP-2 requires
        yParity = rng.next(below: 2)
        if type == 0 {
            v = eip155 ? p.chainID * 2 + 35 + yParity : 27 + yParity
        } else {
            v = yParity
        }
    }

    /// Left-pads to a 32-byte ABI word / log topic.
    static func word(_ bytes: [UInt8]) -> [UInt8] {
        bytes.count >= 32 ? Array(bytes.suffix(32)) : [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
    }

    /// Runtime code deployed by creation (n, i): a solc-like preamble and filler.
    static func runtimeCode(seed: UInt64, _ n: UInt64, _ i: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed, 0xC0DE, n, i)
        let length = 64 + Int(rng.next(below: 448))
        return [0x60, 0x80, 0x60, 0x40, 0x52] + rng.nextBytes(length)
    }

    /// Init code of creation (n, i): a constructor that returns the runtime code.
    static func initCode(seed: UInt64, _ n: UInt64, _ i: UInt64) -> [UInt8] {
        [0x60, 0x80, 0x60, 0x40, 0x52, 0x34, 0x80, 0x15, 0x60, 0x0F, 0x57, 0x60, 0x00, 0x80, 0xFD, 0x5B, 0x50]
            + runtimeCode(seed: seed, n, i)
    }

    /// Rough RLP size, only to make the block `size` field plausible.
    var approximateSize: UInt64 {
        UInt64(110 + input.count + 33 * blobVersionedHashes.count + accessList.reduce(0) { $0 + 21 + 33 * $1.storageKeys.count })
    }
}
