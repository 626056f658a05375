// SyntheticContractEventsTests: the synthetic chain's contract events — ABI encoding checked by
// eth-abi, pairs that only emit after their creation, batch lengths, the mismatched layouts.

import Foundation
import TestSupport
import Testing
@testable import DevChain

@Suite("synthetic contract events")
struct SyntheticContractEventsTests {
    static let parameters = SyntheticChainParameters(seed: 7, blockCount: 1000, transactionsPerBlock: 20)
    typealias ABI = SyntheticABI

    static func hex(_ bytes: [UInt8]) -> String { Hex.string(bytes) }

    /// Runs eth_abi_encode_check.py on `cases`; nil (with the reason printed) when
    /// BLOCKFLEET_ETH_ABI_PYTHON is not set (scripts/test sets it; scripts/eth-abi-venv installs eth-abi).
    static func ethABIFailures(_ cases: [[String: Any]]) async throws -> [[String: Any]]? {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_ETH_ABI_PYTHON"], !python.isEmpty else {
            print("skipped: BLOCKFLEET_ETH_ABI_PYTHON is not set; scripts/test sets it (scripts/eth-abi-venv installs eth-abi)")
            return nil
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("eth_abi_encode_check.py").path
        let result = try await ChildProcess.run(python, [script], input: try JSONSerialization.data(withJSONObject: cases))
        #expect(result.status == 0, "eth_abi_encode_check.py exited \(result.status): \(result.stderrText)")
        return try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]]
    }

    /// A seeded random type, its value for SyntheticABI and the same value as the script reads it.
    static func randomCase(_ rng: inout SplitMix64, depth: Int = 0) -> (type: String, value: ABI.Value, json: Any) {
        let roll = rng.next(below: 100)
        if depth < 3, roll < 12 {
            let members = (0..<(1 + rng.next(below: 4))).map { _ in randomCase(&rng, depth: depth + 1) }
            return ("(" + members.map(\.type).joined(separator: ",") + ")", .tuple(members.map(\.value)), members.map(\.json))
        }
        if depth < 3, roll < 30 {
            // One element type for the whole array: the first element's, the rest re-drawn of that type.
            let first = randomCase(&rng, depth: depth + 1)
            let fixed = rng.next(below: 3) == 0
            let count = fixed ? 1 + rng.next(below: 3) : [0, 1, 2, 3, 30][Int(rng.next(below: 5))]
            let elements = count == 0 ? [] : [first] + (1..<count).map { _ in sameType(first.type, &rng) }
            return (first.type + (fixed ? "[\(count)]" : "[]"), fixed ? .fixedArray(elements.map(\.value)) : .array(elements.map(\.value)), elements.map(\.json))
        }
        let scalars = ["uint256", "uint8", "int64", "address", "bool", "bytes32", "bytes4", "bytes", "string"]
        return sameType(scalars[Int(rng.next(below: UInt64(scalars.count)))], &rng)
    }

    /// A random value of `type` (any type `randomCase` makes).
    static func sameType(_ type: String, _ rng: inout SplitMix64) -> (type: String, value: ABI.Value, json: Any) {
        if type.hasSuffix("]") {
            let open = type.lastIndex(of: "[")!
            let element = String(type[..<open]), digits = type[type.index(after: open)..<type.index(before: type.endIndex)]
            let count = digits.isEmpty ? rng.next(below: 4) : UInt64(digits)!
            let elements = (0..<count).map { _ in sameType(element, &rng) }
            return (type, digits.isEmpty ? .array(elements.map(\.value)) : .fixedArray(elements.map(\.value)), elements.map(\.json))
        }
        if type.hasPrefix("(") {
            var members: [String] = [], depth = 0, current = ""
            for ch in type.dropFirst().dropLast() {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                if ch == ",", depth == 0 { members.append(current); current = "" } else { current.append(ch) }
            }
            members.append(current)
            let values = members.map { sameType($0, &rng) }
            return (type, .tuple(values.map(\.value)), values.map(\.json))
        }
        switch type {
        case "uint256":
            let bytes = [[], [UInt8](repeating: 0xFF, count: 32), rng.nextBytes(32), rng.nextBytes(3)][Int(rng.next(below: 4))]
            return (type, ABI.uint(bytes: bytes), "0x" + (bytes.isEmpty ? "0" : bytes.map { String(format: "%02x", $0) }.joined()))
        case "uint8":
            let v = rng.next(below: 256)
            return (type, ABI.uint(v), String(v))
        case "int64":
            let v = Int64(bitPattern: rng.next()) >> Int64(rng.next(below: 60))
            let word = [UInt8](repeating: v < 0 ? 0xFF : 0, count: 24) + ABI.word(UInt64(bitPattern: v)).suffix(8)
            return (type, .word(word), String(v))
        case "address":
            let a = rng.nextBytes(20)
            return (type, ABI.address(a), hex(a))
        case "bool":
            let b = rng.next(below: 2) == 0
            return (type, ABI.bool(b), b)
        case "bytes32", "bytes4":
            let raw = rng.nextBytes(type == "bytes4" ? 4 : 32)
            return (type, .word(raw + [UInt8](repeating: 0, count: 32 - raw.count)), hex(raw))
        case "bytes":
            let raw = rng.nextBytes([0, 1, 31, 32, 33, 500][Int(rng.next(below: 6))])
            return (type, .bytes(raw), hex(raw))
        default:
            let text = ["", "a", "Dév€🙂", String(repeating: "xyz", count: 40)][Int(rng.next(below: 4))]
            return (type, .string(text), text)
        }
    }

    @Test("SyntheticABI encodes seeded random values (nested tuples, fixed and dynamic arrays, empty and long dynamic values) exactly as eth-abi does")
    func encoderMatchesEthABI() async throws {
        var rng = SplitMix64(2026)
        var cases: [[String: Any]] = []
        for _ in 0..<300 {
            let values = (0..<(1 + rng.next(below: 4))).map { _ in Self.randomCase(&rng) }
            cases.append(["types": values.map(\.type), "values": values.map(\.json), "data": Self.hex(ABI.encode(values.map(\.value)))])
        }
        // Edge cases whatever the seed: nothing, empty arrays, arrays of dynamic values, nesting.
        let edges: [([String], [ABI.Value], [Any])] = [
            ([], [], []),
            (["uint256[]", "bytes[]", "string[2]"], [.array([]), .array([.bytes([]), .bytes([1, 2, 3])]), .fixedArray([.string(""), .string("z")])],
             [[], ["0x", "0x010203"], ["", "z"]]),
            (["(uint256,(bytes,address)[])[]"], [.array([.tuple([ABI.uint(1), .array([.tuple([.bytes([9]), ABI.address([UInt8](repeating: 0x11, count: 20))])])]), .tuple([ABI.uint(2), .array([])])])],
             [[["1", [["0x09", "0x" + String(repeating: "11", count: 20)]]], ["2", []]]]),
            (["uint256[][]"], [.array([.array([]), .array([ABI.uint(5), ABI.uint(6)])])], [[[], ["5", "6"]]]),
        ]
        for (types, values, json) in edges {
            cases.append(["types": types, "values": json, "data": Self.hex(ABI.encode(values))])
        }
        guard let failures = try await Self.ethABIFailures(cases) else { return }
        #expect(failures.isEmpty, "\(failures.prefix(5)) of \(cases.count)")
    }

    @Test("every topic and selector constant is keccak of its signature (eth_hash)")
    func constantsAreKeccak() async throws {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_ETH_ABI_PYTHON"], !python.isEmpty else {
            print("skipped: BLOCKFLEET_ETH_ABI_PYTHON is not set; scripts/test sets it (scripts/eth-abi-venv installs eth-abi)")
            return
        }
        let s = SyntheticProtocols.selector
        let constants: [(String, [UInt8])] = [
            ("TransferSingle(address,address,address,uint256,uint256)", SyntheticProtocols.transferSingleTopic),
            ("TransferBatch(address,address,address,uint256[],uint256[])", SyntheticProtocols.transferBatchTopic),
            ("PairCreated(address,address,address,uint256)", SyntheticProtocols.pairCreatedTopic),
            ("Swap(address,uint256,uint256,uint256,uint256,address)", SyntheticProtocols.swapTopic),
            ("Mint(address,uint256,uint256)", SyntheticProtocols.mintTopic),
            ("Burn(address,uint256,uint256,address)", SyntheticProtocols.burnTopic),
            ("Sync(uint112,uint112)", SyntheticProtocols.syncTopic),
            ("OrderFulfilled(bytes32,address,address,address,(uint8,address,uint256,uint256)[],(uint8,address,uint256,uint256,address)[])", SyntheticProtocols.orderFulfilledTopic),
            ("CCIPSendRequested((uint64,address,address,uint64,uint256,bool,uint64,address,uint256,bytes,(address,uint256)[],bytes[],bytes32))", SyntheticProtocols.ccipSendRequestedTopic),
            ("AddLiquidity(address,uint256[3],uint256[3],uint256,uint256)", SyntheticProtocols.addLiquidityTopic),
            ("Approval(address,address,uint256)", SyntheticTransaction.approvalTopic),
            ("swap(uint256,uint256,address,bytes)", s.swap), ("mint(address)", s.mint), ("burn(address)", s.burn),
            ("createPair(address,address)", s.createPair),
            ("swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", s.swapExactTokensForTokens),
            ("safeTransferFrom(address,address,uint256,uint256,bytes)", s.safeTransferFrom),
            ("safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)", s.safeBatchTransferFrom),
            ("approve(address,uint256)", s.approve), ("ccipSend(uint64,(bytes,bytes,(address,uint256)[],address,bytes))", s.ccipSend),
            ("fulfillBasicOrder_efficient_6GL6yc((address,uint256,uint256,address,address,address,uint256,uint256,uint8,uint256,uint256,bytes32,uint256,bytes32,bytes32,uint256,(uint256,address)[],bytes))", s.fulfillBasicOrderEfficient),
            ("add_liquidity(uint256[3],uint256)", s.addLiquidity),
            ("onERC1155Received(address,address,uint256,uint256,bytes)", s.onERC1155Received),
            ("onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)", s.onERC1155BatchReceived),
            ("TextChanged(bytes32,string,string,string)", SyntheticProtocols.textChangedTopic), ("setText(bytes32,string,string)", s.setText),
        ] + SyntheticProtocols.textKeys.map { ($0.key, $0.hash) }
        let result = try await ChildProcess.run(python, ["-c", "import sys\nfrom eth_hash.auto import keccak\nfor line in sys.stdin.read().split('\\n'): print('0x' + keccak(line.encode()).hex())"],
                                                input: Data(constants.map(\.0).joined(separator: "\n").utf8))
        let hashes = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(hashes.count == constants.count)
        for ((signature, constant), hash) in zip(constants, hashes) {
            #expect(hash.hasPrefix(Self.hex(constant)), "\(signature): \(Self.hex(constant)) is not keccak \(hash)")
        }
        // The selectors the pair's, the protocols' and the collections' code dispatch on include the ones called.
        #expect(SyntheticProtocols.pairSelectors.contains(0x022C_0D9F) && SyntheticProtocols.erc1155Selectors.contains(0xF242_432A))
    }

    /// Data types of each contract-event log, by topic 0 and topic count.
    static func dataTypes(_ log: SyntheticTransaction.Log) -> [String]? {
        switch (hex(log.topics[0]), log.topics.count) {
        case (hex(SyntheticProtocols.transferSingleTopic), 4): ["uint256", "uint256"]
        case (hex(SyntheticProtocols.transferSingleTopic), 3): ["address", "uint256", "uint256"]
        case (hex(SyntheticProtocols.transferBatchTopic), 4): ["uint256[]", "uint256[]"]
        case (hex(SyntheticProtocols.pairCreatedTopic), 3): ["address", "uint256"]
        case (hex(SyntheticProtocols.swapTopic), 3): ["uint256", "uint256", "uint256", "uint256"]
        case (hex(SyntheticProtocols.mintTopic), 2), (hex(SyntheticProtocols.burnTopic), 3): ["uint256", "uint256"]
        case (hex(SyntheticProtocols.syncTopic), 1): ["uint112", "uint112"]
        case (hex(SyntheticProtocols.orderFulfilledTopic), 3):
            ["bytes32", "address", "(uint8,address,uint256,uint256)[]", "(uint8,address,uint256,uint256,address)[]"]
        case (hex(SyntheticProtocols.ccipSendRequestedTopic), 1):
            ["(uint64,address,address,uint64,uint256,bool,uint64,address,uint256,bytes,(address,uint256)[],bytes[],bytes32)"]
        case (hex(SyntheticProtocols.addLiquidityTopic), 2): ["uint256[3]", "uint256[3]", "uint256", "uint256"]
        case (hex(SyntheticProtocols.textChangedTopic), 3): ["string", "string"]
        default: nil
        }
    }

    /// Argument types of each contract-event call, by selector.
    static let inputTypes: [String: [String]] = [
        "0x022c0d9f": ["uint256", "uint256", "address", "bytes"],
        "0x38ed1739": ["uint256", "uint256", "address[]", "address", "uint256"],
        "0xc9c65396": ["address", "address"], "0x6a627842": ["address"], "0x89afcb44": ["address"],
        "0xf242432a": ["address", "address", "uint256", "uint256", "bytes"],
        "0x2eb2c2d6": ["address", "address", "uint256[]", "uint256[]", "bytes"],
        "0xf23a6e61": ["address", "address", "uint256", "uint256", "bytes"],
        "0x96f4e9f9": ["uint64", "(bytes,bytes,(address,uint256)[],address,bytes)"],
        "0x4515cef3": ["uint256[3]", "uint256"],
        "0x095ea7b3": ["address", "uint256"],
        "0x10f13a8c": ["bytes32", "string", "string"],
    ]

    static let newKinds: Set<SyntheticTransaction.Kind> = [.erc1155Single, .erc1155Batch, .pairCreation, .uniswapSwap, .uniswapMint, .uniswapBurn,
                                                           .seaportFulfill, .ccipSend, .curveAddLiquidity, .erc721Approval, .ensTextChanged]

    @Test("every contract-event log and call input of the chain is the canonical ABI encoding of its real signature's types (eth-abi decodes and re-encodes it byte for byte)")
    func logsAndInputsAreCanonical() async throws {
        let p = SyntheticChainParameters(seed: 7, blockCount: 150, transactionsPerBlock: 25)
        var cases: [[String: Any]] = []
        var seen = Set<String>()
        for n in UInt64(1)...150 {
            for i in 0..<UInt64(25) {
                let tx = SyntheticTransaction(parameters: p, number: n, index: i)
                guard Self.newKinds.contains(tx.kind) else { continue }
                for log in tx.logs {
                    guard let types = Self.dataTypes(log) else { continue }
                    seen.insert(Self.hex(log.topics[0]) + "/\(log.topics.count)")
                    cases.append(["types": types, "data": Self.hex(log.data)])
                }
                for input in [tx.input] + tx.calls.filter({ $0.type == "CALL" }).map(\.input) {
                    if let types = Self.inputTypes[Self.hex(Array(input.prefix(4)))] {
                        seen.insert(Self.hex(Array(input.prefix(4))))
                        cases.append(["types": types, "data": Self.hex(Array(input.dropFirst(4)))])
                    }
                }
            }
        }
        // Every event layout and selector above occurs in these 150 blocks.
        #expect(seen.count == 12 + Self.inputTypes.count, "\(seen.sorted())")
        guard let failures = try await Self.ethABIFailures(cases) else { return }
        #expect(failures.isEmpty, "\(failures.prefix(5)) of \(cases.count)")
    }

    @Test("pair k is created in block k(k+1)/2+1 by its first transaction and emits Swap/Mint/Burn/Sync only in later blocks; pairs keep being created late in the chain; swaps are pair.swap calls in the traces")
    func pairsEmitOnlyAfterCreation() throws {
        let p = Self.parameters
        var created: [UInt64: [UInt8]] = [:] // block → pair
        var pairBlock: [[UInt8]: UInt64] = [:]
        var pairEvents = 0, swaps = 0, routed = 0
        let pairTopics = [SyntheticProtocols.swapTopic, SyntheticProtocols.mintTopic, SyntheticProtocols.burnTopic, SyntheticProtocols.syncTopic]
        for n in UInt64(1)...p.blockCount {
            for i in 0..<UInt64(p.transactionsPerBlock) {
                let tx = SyntheticTransaction(parameters: p, number: n, index: i)
                for log in tx.logs {
                    if log.topics[0] == SyntheticProtocols.pairCreatedTopic {
                        #expect(log.address == SyntheticProtocols.factory && i == 0 && created[n] == nil)
                        let pair = Array(log.data[12..<32])
                        let k = UInt64(created.count)
                        #expect(n == SyntheticProtocols.pairCreationBlock(k) && pair == SyntheticProtocols.pair(seed: p.seed, k))
                        #expect(Array(log.data[32..<64]) == ABI.word(k + 1))
                        // token0 < token1, both from the pool, as the factory sorts them.
                        #expect(log.topics[1].lexicographicallyPrecedes(log.topics[2]))
                        created[n] = pair
                        pairBlock[pair] = n
                    } else if pairTopics.contains(log.topics[0]) {
                        pairEvents += 1
                        let block = try #require(pairBlock[log.address], "pair event from an address no PairCreated announced")
                        #expect(block < n)
                    }
                }
                if tx.kind == .uniswapSwap {
                    swaps += 1
                    let pair = try #require(tx.logs.last?.address)
                    let root = SyntheticTrace.frame(p, tx)
                    let swapFrame = root.input.starts(with: SyntheticProtocols.selector.swap) ? root : root.calls.first
                    #expect(swapFrame?.to == pair && swapFrame?.input.starts(with: SyntheticProtocols.selector.swap) == true)
                    if root.to == SyntheticProtocols.router { routed += 1 }
                }
                if tx.kind == .pairCreation {
                    let frame = try #require(SyntheticTrace.frame(p, tx).calls.first)
                    let chain = SyntheticChain(parameters: p)
                    #expect(frame.type == "CREATE2" && frame.output == chain.code(at: frame.to) && !frame.output.isEmpty)
                    #expect(chain.call(to: frame.to, data: [0x09, 0x02, 0xF1, 0xAC], at: n - 1) == .result(Array("\"0x\"".utf8)), "not yet created")
                }
            }
        }
        #expect(created.count == 45 && created.keys.max() == 991, "\(created.keys.sorted())")
        #expect(pairEvents > 500 && swaps > 200 && routed > swaps / 4 && routed < swaps * 3 / 4, "\(pairEvents) \(swaps) \(routed)")
    }

    @Test("ERC-1155 batches come in length 1, 2–10 and long; TransferSingle with 3 topics and ERC-721 Approval (4 topics) give known topic 0s another indexed layout; rates per block printed")
    func shapesAndRates() throws {
        for transactions in [20, 100] {
            let p = SyntheticChainParameters(seed: 7, blockCount: 1000, transactionsPerBlock: transactions)
            var lengths: [UInt64: Int] = [:]
            var counts: [String: Int] = [:]
            for n in UInt64(1)...p.blockCount {
                for i in 0..<UInt64(transactions) {
                    let tx = SyntheticTransaction(parameters: p, number: n, index: i)
                    guard Self.newKinds.contains(tx.kind) else { continue }
                    for log in tx.logs {
                        switch (log.topics[0], log.topics.count) {
                        case (SyntheticProtocols.transferBatchTopic, _):
                            // data: offset of ids (0x40), offset of values, then ids' length.
                            let length = log.data[64..<96].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                            lengths[length, default: 0] += 1
                            counts["TransferBatch", default: 0] += 1
                            counts["TransferBatch ids", default: 0] += Int(length)
                        case (SyntheticProtocols.transferSingleTopic, 4): counts["TransferSingle", default: 0] += 1
                        case (SyntheticProtocols.transferSingleTopic, 3): counts["TransferSingle, 3 topics", default: 0] += 1
                        case (SyntheticTransaction.approvalTopic, 4): counts["ERC-721 Approval", default: 0] += 1
                        case (SyntheticProtocols.pairCreatedTopic, _): counts["PairCreated", default: 0] += 1
                        case (SyntheticProtocols.swapTopic, _): counts["Swap", default: 0] += 1
                        case (SyntheticProtocols.mintTopic, _): counts["Mint", default: 0] += 1
                        case (SyntheticProtocols.burnTopic, _): counts["Burn", default: 0] += 1
                        case (SyntheticProtocols.syncTopic, _): counts["Sync", default: 0] += 1
                        case (SyntheticProtocols.orderFulfilledTopic, _): counts["OrderFulfilled", default: 0] += 1
                        case (SyntheticProtocols.ccipSendRequestedTopic, _): counts["CCIPSendRequested", default: 0] += 1
                        case (SyntheticProtocols.addLiquidityTopic, _): counts["AddLiquidity", default: 0] += 1
                        case (SyntheticProtocols.textChangedTopic, _): counts["TextChanged", default: 0] += 1
                        default: break
                        }
                    }
                    if tx.kind == .uniswapSwap { counts["swap calls", default: 0] += 1 }
                }
            }
            #expect(lengths[1, default: 0] > 0 && (2...10).contains { lengths[$0, default: 0] > 0 } && lengths.keys.contains { $0 >= 20 }, "\(lengths)")
            #expect(counts["TransferSingle, 3 topics", default: 0] > 0 && counts["ERC-721 Approval", default: 0] > 0, "\(counts)")
            print("devchain contract events per block (seed 7, blocks 1-1000, \(transactions) txs/block): "
                  + counts.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.3f", Double($0.value) / 1000) }.joined(separator: ", "))
        }
    }

    @Test("the pair schedule's inverse: pairs created before block n and the pair block n creates agree with counting, up to 2^40 blocks")
    func pairSchedule() {
        var created: UInt64 = 0
        for n in UInt64(0)...20_000 {
            #expect(SyntheticProtocols.pairsCreated(before: n) == created)
            let k = SyntheticProtocols.pairCreated(inBlock: n)
            #expect(k == (SyntheticProtocols.pairCreationBlock(created) == n ? created : nil))
            if k != nil { created += 1 }
        }
        for k in [UInt64(1_000), 100_000, 1_482_909] {
            let block = SyntheticProtocols.pairCreationBlock(k)
            #expect(block <= 1 << 40 && SyntheticProtocols.pairCreated(inBlock: block) == k && SyntheticProtocols.pairCreated(inBlock: block + 1) == nil)
            #expect(SyntheticProtocols.pairsCreated(before: block) == k && SyntheticProtocols.pairsCreated(before: block + 1) == k + 1)
        }
    }

    @Test("without contract events the chain has none, and every transaction that is not one is byte for byte the same either way")
    func offSwitchKeepsTheRest() {
        let on = Self.parameters
        var off = on
        off.contractEvents = false
        var changed = 0
        for n in UInt64(1)...200 {
            for i in 0..<UInt64(on.transactionsPerBlock) {
                let a = SyntheticTransaction(parameters: on, number: n, index: i)
                let b = SyntheticTransaction(parameters: off, number: n, index: i)
                #expect(!Self.newKinds.contains(b.kind))
                if Self.newKinds.contains(a.kind) {
                    changed += 1
                    #expect(b.kind == .transfer || a.kind == .pairCreation)
                } else {
                    #expect(a.kind == b.kind && a.input == b.input && a.to == b.to && a.gasUsed == b.gasUsed && a.type == b.type
                            && a.logs.map(\.data) == b.logs.map(\.data) && a.logs.map(\.topics) == b.logs.map(\.topics))
                    #expect(SyntheticTrace.frame(on, a) == SyntheticTrace.frame(off, b))
                }
            }
        }
        #expect(changed > 200)
    }
}
