// SyntheticTransaction+ContractEvents: inputs, logs and sub-calls of the contract-event kinds.

/// Each kind is one real-world interaction, ABI-encoded as the contract would encode it, so the
/// decoded-table tests have every shape to decode: indexed and data values, dynamic arrays (of
/// length 1 and long), arrays of tuples, a tuple with dynamic members, fixed arrays, and two
/// logs whose topic 0 is a known event's under another indexed layout.
extension SyntheticTransaction {
    typealias ABI = SyntheticABI

    /// What a contract-event transaction does.
    struct ContractEvent {
        var to: [UInt8]
        var input: [UInt8]
        var logs: [Log]
        var calls: [PlannedCall]
        var output: [UInt8]
        var gasUsed: UInt64
    }

    /// Kind draws 61…77 of 100 (of the non-blob transactions):
    /// ERC-1155 TransferSingle 3 %, TransferBatch 2 %, Uniswap swap 5 %, mint 1 %, burn 1 %,
    /// Seaport OrderFulfilled 1 %, CCIPSendRequested 1 %, Curve AddLiquidity 1 %, ERC-721
    /// Approval 1 %, ENS TextChanged 1 %. Pair events fall back to a plain transfer until the first pair exists.
    static func contractEventKind(_ draw: UInt64, block n: UInt64) -> Kind? {
        let kind: Kind
        switch draw {
        case 61..<64: kind = .erc1155Single
        case 64..<66: kind = .erc1155Batch
        case 66..<71: kind = .uniswapSwap
        case 71: kind = .uniswapMint
        case 72: kind = .uniswapBurn
        case 73: kind = .seaportFulfill
        case 74: kind = .ccipSend
        case 75: kind = .curveAddLiquidity
        case 76: kind = .erc721Approval
        case 77: kind = .ensTextChanged
        default: return nil
        }
        if [.uniswapSwap, .uniswapMint, .uniswapBurn].contains(kind), SyntheticProtocols.pairsCreated(before: n) == 0 { return nil }
        return kind
    }

    static let zeroAddress = [UInt8](repeating: 0, count: 20)

    /// An amount with edge values mixed in: 0, 1, 2²⁵⁶−1, and 1–32-byte values.
    static func amount(_ rng: inout SplitMix64) -> [UInt8] {
        switch rng.next(below: 40) {
        case 0: return [0]
        case 1: return [1]
        case 2: return [UInt8](repeating: 0xFF, count: 32)
        case 3..<8: return rng.nextBytes(1 + Int(rng.next(below: 32)))
        default: return rng.nextBytes(8 + Int(rng.next(below: 5)))
        }
    }

    /// A token id: small counters mostly, sometimes a full 256-bit hash-like id.
    static func tokenID(_ rng: inout SplitMix64) -> [UInt8] {
        rng.next(below: 5) == 0 ? rng.nextBytes(32) : Self.word(SyntheticABI.word(rng.next(below: 10_000)))
    }

    /// A uint112 reserve (Sync), 2¹¹²−1 now and then.
    static func reserve(_ rng: inout SplitMix64) -> [UInt8] {
        rng.next(below: 30) == 0 ? [UInt8](repeating: 0xFF, count: 14) : rng.nextBytes(6 + Int(rng.next(below: 9)))
    }

    static func contractEvent(_ kind: Kind, _ p: SyntheticChainParameters, number n: UInt64, from: [UInt8], counterparty: [UInt8],
                              rng: inout SplitMix64) -> ContractEvent {
        let seed = p.seed
        let transfer = transferTopic
        switch kind {
        case .erc1155Single:
            // One in ten goes to a collection whose TransferSingle leaves `to` unindexed.
            let misfit = rng.next(below: 10) == 0
            let token = misfit ? SyntheticProtocols.misfitErc1155Token(seed: seed, rng.next()) : SyntheticProtocols.erc1155Token(seed: seed, rng.next())
            let operatorIsOwner = rng.next(below: 3) != 0
            let owner = rng.next(below: 10) == 0 ? zeroAddress : operatorIsOwner ? from : p.account(rng.next(below: SyntheticChainParameters.accountCount))
            let id = tokenID(&rng), value = rng.next(below: 4) == 0 ? amount(&rng) : Self.word(SyntheticABI.word(1 + rng.next(below: 100)))
            let data = rng.next(below: 4) == 0 ? rng.nextBytes(Int(rng.next(below: 70))) : []
            let input = ABI.call(SyntheticProtocols.selector.safeTransferFrom,
                                 [ABI.address(owner), ABI.address(counterparty), ABI.uint(bytes: id), ABI.uint(bytes: value), .bytes(data)])
            let log = misfit
                ? Log(address: token, topics: [SyntheticProtocols.transferSingleTopic, word(from), word(owner)],
                      data: ABI.encode([ABI.address(counterparty), ABI.uint(bytes: id), ABI.uint(bytes: value)]))
                : Log(address: token, topics: [SyntheticProtocols.transferSingleTopic, word(from), word(owner), word(counterparty)],
                      data: ABI.encode([ABI.uint(bytes: id), ABI.uint(bytes: value)]))
            var calls: [PlannedCall] = []
            if rng.next(below: 3) == 0 {
                let hook = SyntheticProtocols.selector.onERC1155Received
                calls.append(PlannedCall(type: "CALL", to: counterparty,
                                         input: ABI.call(hook, [ABI.address(from), ABI.address(owner), ABI.uint(bytes: id), ABI.uint(bytes: value), .bytes(data)]),
                                         output: hook + [UInt8](repeating: 0, count: 28)))
            }
            return ContractEvent(to: token, input: input, logs: [log], calls: calls, output: [], gasUsed: 52_000 + rng.next(below: 30_000))

        case .erc1155Batch:
            // Batch lengths: a quarter 1, most 2–10, some long (20–100).
            let lengthDraw = rng.next(below: 100)
            let length = lengthDraw < 25 ? 1 : lengthDraw < 85 ? 2 + rng.next(below: 9) : 20 + rng.next(below: 81)
            let token = SyntheticProtocols.erc1155Token(seed: seed, rng.next())
            let owner = rng.next(below: 10) == 0 ? zeroAddress : from
            var ids: [ABI.Value] = [], values: [ABI.Value] = []
            for _ in 0..<length {
                ids.append(ABI.uint(bytes: tokenID(&rng)))
                values.append(rng.next(below: 4) == 0 ? ABI.uint(bytes: amount(&rng)) : ABI.uint(1 + rng.next(below: 100)))
            }
            let data = rng.next(below: 4) == 0 ? rng.nextBytes(Int(rng.next(below: 40))) : []
            let input = ABI.call(SyntheticProtocols.selector.safeBatchTransferFrom,
                                 [ABI.address(owner), ABI.address(counterparty), .array(ids), .array(values), .bytes(data)])
            let log = Log(address: token, topics: [SyntheticProtocols.transferBatchTopic, word(from), word(owner), word(counterparty)],
                          data: ABI.encode([.array(ids), .array(values)]))
            return ContractEvent(to: token, input: input, logs: [log], calls: [], output: [], gasUsed: 60_000 + 24_000 * length + rng.next(below: 20_000))

        case .pairCreation:
            let k = SyntheticProtocols.pairCreated(inBlock: n) ?? 0
            let pair = SyntheticProtocols.pair(seed: seed, k)
            let (token0, token1) = SyntheticProtocols.pairTokens(p, k)
            let (a, b) = rng.next(below: 2) == 0 ? (token0, token1) : (token1, token0)
            let code = SyntheticChain.dispatcherCode(selectors: SyntheticProtocols.pairSelectors)
            let log = Log(address: SyntheticProtocols.factory, topics: [SyntheticProtocols.pairCreatedTopic, word(token0), word(token1)],
                          data: ABI.encode([ABI.address(pair), ABI.uint(k + 1)]))
            return ContractEvent(to: SyntheticProtocols.factory, input: ABI.call(SyntheticProtocols.selector.createPair, [ABI.address(a), ABI.address(b)]),
                                 logs: [log], calls: [PlannedCall(type: "CREATE2", to: pair, input: SyntheticProtocols.pairInitCode(code), output: code)],
                                 output: word(pair), gasUsed: 1_900_000 + rng.next(below: 300_000))

        case .uniswapSwap, .uniswapMint, .uniswapBurn:
            let k = rng.next(below: SyntheticProtocols.pairsCreated(before: n))
            let pair = SyntheticProtocols.pair(seed: seed, k)
            let (token0, token1) = SyntheticProtocols.pairTokens(p, k)
            let sync = Log(address: pair, topics: [SyntheticProtocols.syncTopic],
                           data: ABI.encode([ABI.uint(bytes: reserve(&rng)), ABI.uint(bytes: reserve(&rng))]))
            let amount0 = amount(&rng), amount1 = amount(&rng)
            if kind == .uniswapMint {
                let liquidity = rng.nextBytes(10)
                let logs = [
                    Log(address: token0, topics: [transfer, word(from), word(pair)], data: word(amount0)),
                    Log(address: token1, topics: [transfer, word(from), word(pair)], data: word(amount1)),
                    Log(address: pair, topics: [transfer, word(zeroAddress), word(from)], data: word(liquidity)),
                    sync,
                    Log(address: pair, topics: [SyntheticProtocols.mintTopic, word(from)], data: ABI.encode([ABI.uint(bytes: amount0), ABI.uint(bytes: amount1)])),
                ]
                return ContractEvent(to: pair, input: ABI.call(SyntheticProtocols.selector.mint, [ABI.address(from)]), logs: logs, calls: [],
                                     output: word(liquidity), gasUsed: 110_000 + rng.next(below: 40_000))
            }
            if kind == .uniswapBurn {
                let liquidity = rng.nextBytes(10)
                let recipient = rng.next(below: 4) == 0 ? counterparty : from
                let logs = [
                    Log(address: pair, topics: [transfer, word(pair), word(zeroAddress)], data: word(liquidity)),
                    Log(address: token0, topics: [transfer, word(pair), word(recipient)], data: word(amount0)),
                    Log(address: token1, topics: [transfer, word(pair), word(recipient)], data: word(amount1)),
                    sync,
                    Log(address: pair, topics: [SyntheticProtocols.burnTopic, word(from), word(recipient)],
                        data: ABI.encode([ABI.uint(bytes: amount0), ABI.uint(bytes: amount1)])),
                ]
                return ContractEvent(to: pair, input: ABI.call(SyntheticProtocols.selector.burn, [ABI.address(recipient)]), logs: logs, calls: [],
                                     output: ABI.encode([ABI.uint(bytes: amount0), ABI.uint(bytes: amount1)]), gasUsed: 100_000 + rng.next(below: 40_000))
            }
            // A swap: half straight to the pair (a quarter of those flash swaps with callback
            // data), half through the router, which calls the pair's swap.
            let zeroForOne = rng.next(below: 2) == 0
            let (tokenIn, tokenOut) = zeroForOne ? (token0, token1) : (token1, token0)
            let recipient = rng.next(below: 5) == 0 ? counterparty : from
            let routed = rng.next(below: 2) == 0
            let callback = !routed && rng.next(below: 4) == 0 ? rng.nextBytes(1 + Int(rng.next(below: 100))) : []
            let (amount0Out, amount1Out) = zeroForOne ? ([UInt8](), amount1) : (amount0, [UInt8]())
            let amountIn = zeroForOne ? amount0 : amount1, amountOut = zeroForOne ? amount1 : amount0
            let swapInput = ABI.call(SyntheticProtocols.selector.swap,
                                     [ABI.uint(bytes: amount0Out), ABI.uint(bytes: amount1Out), ABI.address(recipient), .bytes(callback)])
            let sender = routed ? SyntheticProtocols.router : from
            let logs = [
                Log(address: tokenIn, topics: [transfer, word(from), word(pair)], data: word(amountIn)),
                Log(address: tokenOut, topics: [transfer, word(pair), word(recipient)], data: word(amountOut)),
                sync,
                Log(address: pair, topics: [SyntheticProtocols.swapTopic, word(sender), word(recipient)],
                    data: ABI.encode([ABI.uint(bytes: zeroForOne ? amount0 : []), ABI.uint(bytes: zeroForOne ? [] : amount1),
                                      ABI.uint(bytes: amount0Out), ABI.uint(bytes: amount1Out)])),
            ]
            let gasUsed = 90_000 + rng.next(below: 60_000)
            guard routed else {
                return ContractEvent(to: pair, input: swapInput, logs: logs, calls: [], output: [], gasUsed: gasUsed)
            }
            let deadline = p.timestamp(n) + 1200
            let input = ABI.call(SyntheticProtocols.selector.swapExactTokensForTokens, [
                ABI.uint(bytes: amountIn), ABI.uint(bytes: amountOut), .array([ABI.address(tokenIn), ABI.address(tokenOut)]),
                ABI.address(recipient), ABI.uint(deadline),
            ])
            return ContractEvent(to: SyntheticProtocols.router, input: input, logs: logs,
                                 calls: [PlannedCall(type: "CALL", to: pair, input: swapInput, output: [])],
                                 output: ABI.encode([.array([ABI.uint(bytes: amountIn), ABI.uint(bytes: amountOut)])]), gasUsed: gasUsed + 30_000)

        case .seaportFulfill:
            // OrderFulfilled: arrays of static tuples, empty offers now and then, long considerations.
            func item(_ rng: inout SplitMix64, recipient: Bool) -> ABI.Value {
                let itemType = rng.next(below: 6)
                let token = itemType == 0 ? zeroAddress : itemType == 1 ? p.erc20Token(rng.next())
                    : itemType == 3 || itemType == 5 ? SyntheticProtocols.erc1155Token(seed: seed, rng.next()) : p.erc721Token(rng.next())
                var members = [ABI.uint(itemType), ABI.address(token), ABI.uint(bytes: itemType < 2 ? [] : tokenID(&rng)), ABI.uint(bytes: amount(&rng))]
                if recipient { members.append(ABI.address(p.account(rng.next(below: SyntheticChainParameters.accountCount)))) }
                return .tuple(members)
            }
            let offerDraw = rng.next(below: 10)
            let offers = offerDraw == 0 ? 0 : offerDraw < 8 ? 1 : 2 + rng.next(below: 2)
            let considerationDraw = rng.next(below: 10)
            let considerations = considerationDraw == 0 ? 10 + rng.next(below: 21) : 1 + rng.next(below: 4)
            let offerer = p.account(rng.next(below: SyntheticChainParameters.accountCount))
            let zone = rng.next(below: 2) == 0 ? zeroAddress : p.account(rng.next(below: SyntheticChainParameters.accountCount))
            let orderHash = rng.nextBytes(32)
            let offer = (0..<offers).map { _ in item(&rng, recipient: false) }
            let consideration = (0..<considerations).map { _ in item(&rng, recipient: true) }
            let log = Log(address: SyntheticProtocols.seaport, topics: [SyntheticProtocols.orderFulfilledTopic, word(offerer), word(zone)],
                          data: ABI.encode([.word(orderHash), ABI.address(from), .array(offer), .array(consideration)]))
            // fulfillBasicOrder_efficient_6GL6yc (selector 0x00000000): parameters as opaque words.
            let input = SyntheticProtocols.selector.fulfillBasicOrderEfficient + ABI.encode((0..<(4 + rng.next(below: 12))).map { _ in .word(rng.nextBytes(32)) })
            return ContractEvent(to: SyntheticProtocols.seaport, input: input, logs: [log], calls: [], output: word([1]),
                                 gasUsed: 120_000 + 30_000 * (offers + considerations) + rng.next(below: 30_000))

        case .ccipSend:
            // CCIPSendRequested(EVM2EVMMessage): one unindexed tuple with bytes, an array of
            // tuples and a bytes[] among static members.
            let tokens = rng.next(below: 4) == 0 ? 0 : 1 + rng.next(below: 3)
            var tokenAmounts: [ABI.Value] = [], sourceTokenData: [ABI.Value] = []
            for _ in 0..<tokens {
                tokenAmounts.append(.tuple([ABI.address(p.erc20Token(rng.next())), ABI.uint(bytes: amount(&rng))]))
                sourceTokenData.append(.bytes(rng.nextBytes(Int(rng.next(below: 3) == 0 ? 0 : rng.next(below: 100)))))
            }
            let payloadDraw = rng.next(below: 10)
            let payload = rng.nextBytes(payloadDraw == 0 ? 0 : payloadDraw == 1 ? 300 + Int(rng.next(below: 700)) : Int(rng.next(below: 90)))
            let receiver = p.account(rng.next(below: SyntheticChainParameters.accountCount))
            let feeToken = p.erc20Token(rng.next())
            let fee = rng.nextBytes(8)
            let gasLimit = 200_000 + rng.next(below: 800_000)
            let message: ABI.Value = .tuple([
                ABI.uint(5_009_297_550_715_157_269), ABI.address(from), ABI.address(receiver), ABI.uint(1 + rng.next(below: 1 << 20)),
                ABI.uint(gasLimit), ABI.bool(rng.next(below: 5) == 0), ABI.uint(rng.next(below: 1 << 16)), ABI.address(feeToken),
                ABI.uint(bytes: fee), .bytes(payload), .array(tokenAmounts), .array(sourceTokenData), .word(rng.nextBytes(32)),
            ])
            let log = Log(address: SyntheticProtocols.onRamp(seed: seed), topics: [SyntheticProtocols.ccipSendRequestedTopic], data: ABI.encode([message]))
            // ccipSend(uint64 destinationChainSelector, (bytes receiver, bytes data, (address,uint256)[] tokenAmounts, address feeToken, bytes extraArgs))
            let input = ABI.call(SyntheticProtocols.selector.ccipSend, [
                ABI.uint(4_949_039_107_694_359_620),
                .tuple([.bytes(word(receiver)), .bytes(payload), .array(tokenAmounts), ABI.address(feeToken), .bytes(ABI.encode([ABI.uint(gasLimit)]))]),
            ])
            return ContractEvent(to: SyntheticProtocols.onRamp(seed: seed), input: input, logs: [log], calls: [], output: rng.nextBytes(32),
                                 gasUsed: 180_000 + 40_000 * tokens + rng.next(below: 50_000))

        case .curveAddLiquidity:
            // AddLiquidity(address indexed provider, uint256[3] token_amounts, uint256[3] fees, uint256 invariant, uint256 token_supply): fixed arrays.
            let amounts = (0..<3).map { _ in rng.next(below: 3) == 0 ? ABI.uint(0) : ABI.uint(bytes: rng.nextBytes(10)) }
            let fees = (0..<3).map { _ in ABI.uint(bytes: rng.nextBytes(6)) }
            let log = Log(address: SyntheticProtocols.curve3pool, topics: [SyntheticProtocols.addLiquidityTopic, word(from)],
                          data: ABI.encode([.fixedArray(amounts), .fixedArray(fees), ABI.uint(bytes: rng.nextBytes(13)), ABI.uint(bytes: rng.nextBytes(13))]))
            return ContractEvent(to: SyntheticProtocols.curve3pool, input: ABI.call(SyntheticProtocols.selector.addLiquidity, [.fixedArray(amounts), ABI.uint(0)]),
                                 logs: [log], calls: [], output: [], gasUsed: 150_000 + rng.next(below: 60_000))

        case .erc721Approval:
            // ERC-721's Approval has ERC-20's signature with tokenId indexed too (4 topics, no data).
            let token = p.erc721Token(rng.next())
            let approved = rng.next(below: 5) == 0 ? zeroAddress : counterparty
            let id = tokenID(&rng)
            let log = Log(address: token, topics: [approvalTopic, word(from), word(approved), word(id)], data: [])
            return ContractEvent(to: token, input: ABI.call(SyntheticProtocols.selector.approve, [ABI.address(approved), ABI.uint(bytes: id)]),
                                 logs: [log], calls: [], output: [], gasUsed: 46_000 + rng.next(below: 10_000))

        case .ensTextChanged:
            // TextChanged(bytes32 indexed node, string indexed indexedKey, string key, string value):
            // an indexed string is its keccak in the topic.
            let (key, keyHash) = SyntheticProtocols.textKeys[Int(rng.next(below: UInt64(SyntheticProtocols.textKeys.count)))]
            let values = ["", "https://example.org/\(rng.next(below: 100_000))", "ipfs://Qm" + String(rng.next(), radix: 36), "Dév €🙂 ünïcode",
                          String(repeating: "long text record ", count: 1 + Int(rng.next(below: 40)))]
            let value = values[Int(rng.next(below: UInt64(values.count)))]
            let node = rng.nextBytes(32)
            let log = Log(address: SyntheticProtocols.ensResolver, topics: [SyntheticProtocols.textChangedTopic, node, keyHash],
                          data: ABI.encode([.string(key), .string(value)]))
            return ContractEvent(to: SyntheticProtocols.ensResolver, input: ABI.call(SyntheticProtocols.selector.setText, [.word(node), .string(key), .string(value)]),
                                 logs: [log], calls: [], output: [], gasUsed: 40_000 + 700 * UInt64(value.utf8.count / 32) + rng.next(below: 10_000))

        case .transfer, .erc20Transfer, .erc721Transfer, .contractCreation, .reverted:
            preconditionFailure("\(kind) is not a contract-event kind")
        }
    }
}
