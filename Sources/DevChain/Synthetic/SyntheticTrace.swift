// SyntheticTrace: the call tree of each synthetic transaction and its geth and parity renderings.

/// Drawn from its own random stream (seed, 0x7ACE, n, i), so the blocks, receipts and logs of a
/// chain are unchanged by traces. Trees include nested static and delegate calls, reverted
/// sub-calls (their children fail with them), failed top calls with successful children,
/// contract creations by contracts (CREATE and CREATE2, mostly tokens with odd metadata) and
/// self-destructs.
enum SyntheticTrace {
    static let selector = (balanceOf: [UInt8]([0x70, 0xA0, 0x82, 0x31]), onERC721Received: [UInt8]([0x15, 0x0B, 0x7A, 0x02]),
                           kill: [UInt8]([0x41, 0xC0, 0xE1, 0xB5]), deploy: [UInt8]([0x9C, 0x4D, 0x53, 0x5B]))

    /// The inner contract transaction (n, i) creates, if any: its address, kind and creating opcode.
    static func innerCreation(_ p: SyntheticChainParameters, _ tx: SyntheticTransaction) -> (address: [UInt8], kind: InnerContractKind, opcode: String)? {
        guard tx.kind == .erc20Transfer else { return nil }
        var rng = SplitMix64(p.seed, 0x7ACE, tx.number, tx.index)
        let draw = rng.next(below: 100)
        guard (40..<52).contains(draw) else { return nil }
        let kind = InnerContractKind(rawValue: rng.next(below: UInt64(InnerContractKind.allCases.count)))!
        return (SyntheticIdentity.address(seed: p.seed, .innerContract, tx.number, tx.index), kind, draw < 48 ? "CREATE" : "CREATE2")
    }

    /// The root frame of transaction (n, i).
    static func frame(_ p: SyntheticChainParameters, _ tx: SyntheticTransaction) -> SyntheticCallFrame {
        var rng = SplitMix64(p.seed, 0x7ACE, tx.number, tx.index)
        let draw = rng.next(below: 100)
        var root = SyntheticCallFrame(type: tx.to == nil ? "CREATE" : "CALL", from: tx.from, to: tx.to ?? tx.contractAddress ?? [],
                                      value: tx.value, gas: tx.gas, gasUsed: tx.gasUsed, input: tx.input, output: [])
        func child(_ type: String, to: [UInt8], value: UInt64?, input: [UInt8], output: [UInt8], share: UInt64) -> SyntheticCallFrame {
            let gas = root.gas / share
            return SyntheticCallFrame(type: type, from: root.to, to: to, value: value, gas: gas, gasUsed: gas / 3, input: input, output: output)
        }
        switch tx.kind {
        case .transfer:
            break
        case .contractCreation:
            root.output = SyntheticTransaction.runtimeCode(seed: p.seed, tx.number, tx.index)
        case .erc20Transfer:
            root.output = SyntheticTransaction.word([1])
            let other = p.erc20Token(rng.next())
            switch draw {
            case 0..<20:
                root.calls.append(child("STATICCALL", to: other, value: nil, input: selector.balanceOf + SyntheticTransaction.word(tx.from),
                                        output: SyntheticTransaction.word(rng.nextBytes(8)), share: 4))
            case 20..<30:
                root.calls.append(child("DELEGATECALL", to: other, value: 0, input: tx.input, output: SyntheticTransaction.word([1]), share: 3))
                root.calls[0].calls.append(SyntheticCallFrame(type: "STATICCALL", from: root.to, to: p.erc20Token(rng.next()), value: nil,
                                                              gas: root.gas / 9, gasUsed: root.gas / 27, input: selector.balanceOf + SyntheticTransaction.word(tx.from),
                                                              output: SyntheticTransaction.word(rng.nextBytes(6))))
            case 30..<40:
                // A reverted sub-call whose own child succeeded: both fail in ethereum-etl's status.
                var failed = child("CALL", to: other, value: 0, input: tx.input, output: [], share: 3)
                failed.reverted = true
                failed.calls.append(SyntheticCallFrame(type: "STATICCALL", from: other, to: p.erc20Token(rng.next()), value: nil,
                                                       gas: failed.gas / 4, gasUsed: failed.gas / 12, input: selector.balanceOf + SyntheticTransaction.word(other),
                                                       output: SyntheticTransaction.word(rng.nextBytes(5))))
                root.calls.append(failed)
            case 40..<52:
                let (address, kind, opcode) = innerCreation(p, tx)!
                root.calls.append(child(opcode, to: address, value: 0, input: initCode(p, address: address, kind: kind),
                                        output: code(p, kind: kind, address: address), share: 2))
            case 52..<58:
                // A call into a one-off contract that self-destructs, refunding the sender.
                let victim = SyntheticIdentity.address(seed: p.seed, .innerContract, tx.number, tx.index | 1 << 19)
                var call = child("CALL", to: victim, value: 0, input: selector.kill, output: [], share: 3)
                call.calls.append(SyntheticCallFrame(type: "SELFDESTRUCT", from: victim, to: tx.from, value: 1 + rng.next(below: 1 << 50),
                                                     gas: 0, gasUsed: 0, input: [], output: []))
                root.calls.append(call)
            default:
                break
            }
        case .erc721Transfer:
            if draw < 30 {
                root.calls.append(child("CALL", to: p.account(rng.next()), value: 0, input: selector.onERC721Received + SyntheticTransaction.word(tx.from),
                                        output: selector.onERC721Received + [UInt8](repeating: 0, count: 28), share: 5))
            }
        case .erc1155Single, .erc1155Batch, .pairCreation, .uniswapSwap, .uniswapMint, .uniswapBurn,
             .seaportFulfill, .ccipSend, .curveAddLiquidity, .erc721Approval, .ensTextChanged:
            // The transaction planned its own sub-calls (the router's call of the pair's swap,
            // the factory's CREATE2 of a pair, a receiver hook).
            root.output = tx.callOutput
            for planned in tx.calls {
                root.calls.append(child(planned.type, to: planned.to, value: 0, input: planned.input, output: planned.output, share: 2))
            }
        case .reverted:
            root.reverted = true
            if draw < 50 {
                root.calls.append(child("STATICCALL", to: p.erc20Token(rng.next()), value: nil, input: selector.balanceOf + SyntheticTransaction.word(tx.from),
                                        output: SyntheticTransaction.word(rng.nextBytes(7)), share: 4))
            }
        }
        return root
    }

    /// Runtime code of an inner contract: a solc-style dispatcher over its selectors.
    static func code(_ p: SyntheticChainParameters, kind: InnerContractKind, address: [UInt8]) -> [UInt8] {
        var selectors = SyntheticChain.erc20Selectors
        switch kind {
        case .erc721: selectors = SyntheticChain.erc721Selectors
        case .erc20UpperCase: selectors += [0xF76F_8D78, 0xA3F4_DF7E, 0x2E0F_2625]
        case .plain: return [0x60, 0x80, 0x60, 0x40, 0x52, 0x63] + Array(address.prefix(4)) + [0x50, 0x5B, 0x00]
        default: break
        }
        return SyntheticChain.dispatcherCode(selectors: selectors.sorted())
    }

    static func initCode(_ p: SyntheticChainParameters, address: [UInt8], kind: InnerContractKind) -> [UInt8] {
        [0x60, 0x80, 0x60, 0x40, 0x52, 0x34, 0x80, 0x15, 0x60, 0x0F, 0x57, 0x60, 0x00, 0x80, 0xFD, 0x5B, 0x50] + code(p, kind: kind, address: address)
    }

    /// eth_call on an inner contract: metadata by kind; everything else reverts.
    static func call(_ p: SyntheticChainParameters, kind: InnerContractKind, n: UInt64, i: UInt64, selector: UInt32) -> RPCOutcome {
        let reverted = RPCOutcome.error(RPCError(code: 3, message: "execution reverted"))
        let name = "Inner Token \(n).\(i)", symbol = "IT\(i)"
        let supply = SplitMix64.mix(p.seed, 0x5_0991, n, i) >> 4
        switch (kind, selector) {
        case (.erc20Reverting, _), (.plain, _):
            return reverted
        case (.erc20, 0x06FD_DE03), (.erc20NoDecimals, 0x06FD_DE03), (.erc721, 0x06FD_DE03), (.erc20UpperCase, 0xA3F4_DF7E):
            return SyntheticChain.abiString(name)
        case (.erc20, 0x95D8_9B41), (.erc20NoDecimals, 0x95D8_9B41), (.erc721, 0x95D8_9B41), (.erc20UpperCase, 0xF76F_8D78):
            return SyntheticChain.abiString(symbol)
        case (.erc20Bytes32, 0x06FD_DE03):
            return bytes32(Array("Maker \(i)".utf8))
        case (.erc20Bytes32, 0x95D8_9B41):
            return bytes32(Array("MKR".utf8))
        case (.erc20OddText, 0x06FD_DE03):
            return SyntheticChain.abiString("Dév\u{0}Tök, \"odd\"\u{0}")
        case (.erc20OddText, 0x95D8_9B41):
            return SyntheticChain.abiString("\u{0}\u{0}ODD\u{0}")
        case (.erc20OddText, 0x313C_E567):
            return word([0xFF] + [UInt8](repeating: 0, count: 30) + [18])
        case (.erc20, 0x313C_E567), (.erc20Bytes32, 0x313C_E567), (.erc20UpperCase, 0x2E0F_2625):
            return SyntheticChain.abiWord(18)
        case (.erc721, 0x1816_0DDD):
            return reverted
        case (_, 0x1816_0DDD):
            return SyntheticChain.abiWord(supply)
        default:
            return reverted
        }
    }

    static func bytes32(_ text: [UInt8]) -> RPCOutcome {
        word(text + [UInt8](repeating: 0, count: 32 - text.count))
    }

    static func word(_ bytes: [UInt8]) -> RPCOutcome {
        var out: [UInt8] = []
        JSONBytes.appendData(bytes, to: &out)
        return .result(out)
    }
}
