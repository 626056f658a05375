// SyntheticChainTests: determinism and internal consistency of the synthetic chain.

import Testing
@testable import DevChain

@Suite("synthetic chain")
struct SyntheticChainTests {
    static let parameters = SyntheticChainParameters(seed: 42, blockCount: 200, transactionsPerBlock: 60)

    @Test("same seed gives byte-identical blocks and receipts; another seed differs")
    func determinism() {
        let a = SyntheticBlockBuilder.build(Self.parameters, number: 17)
        let b = SyntheticBlockBuilder.build(Self.parameters, number: 17)
        #expect(a.fullJSON == b.fullJSON)
        #expect(a.headerJSON == b.headerJSON)
        #expect(a.receiptsJSON == b.receiptsJSON)
        var other = Self.parameters
        other.seed = 43
        let c = SyntheticBlockBuilder.build(other, number: 17)
        #expect(c.fullJSON != a.fullJSON)
        #expect(c.receiptsJSON != a.receiptsJSON)
        #expect(c.hash != a.hash)
    }

    @Test("timestamps: 12 s apart from the genesis's by default; --blocks-per-timestamp N gives runs of N equal ones")
    func timestamps() throws {
        func timestamps(_ parameters: SyntheticChainParameters) throws -> [UInt64] {
            try (UInt64(0)...9).map { n in
                let text = try #require(try JSONParser.parse(SyntheticBlockBuilder.build(parameters, number: n).headerJSON)["timestamp"]?.stringValue)
                return try #require(UInt64(text.dropFirst(2), radix: 16))
            }
        }
        #expect(try timestamps(Self.parameters) == (0...9).map { 1_710_338_135 + $0 * 12 }, "the default is unchanged")
        var l2 = Self.parameters
        (l2.genesisTimestamp, l2.secondsPerBlock, l2.blocksPerTimestamp) = (1_704_067_200, 2, 4)
        let base: UInt64 = 1_704_067_200
        #expect(try timestamps(l2) == [base, base, base, base, base + 2, base + 2, base + 2, base + 2, base + 4, base + 4])
    }

    @Test("parentHash links every block to the one before it")
    func hashChain() throws {
        var previous: String?
        for n in UInt64(0)...30 {
            let block = try JSONParser.parse(SyntheticBlockBuilder.build(Self.parameters, number: n).fullJSON)
            #expect(block["number"]?.stringValue == Hex.quantityString(n))
            if let previous {
                #expect(block["parentHash"]?.stringValue == previous)
            } else {
                #expect(block["parentHash"]?.stringValue == "0x" + String(repeating: "0", count: 64))
            }
            previous = block["hash"]?.stringValue
        }
    }

    @Test("transactions, receipts and logs agree with their block")
    func blockConsistency() throws {
        var typesSeen = Set<String>()
        var sawCreation = false, sawRevert = false, sawERC721 = false, sawPre155 = false
        for n in UInt64(1)...12 {
            let built = SyntheticBlockBuilder.build(Self.parameters, number: n)
            let block = try JSONParser.parse(built.fullJSON)
            let receipts = try #require(try JSONParser.parse(built.receiptsJSON).arrayValue)
            let txs = try #require(block["transactions"]?.arrayValue)
            let hash = try #require(block["hash"]?.stringValue)
            #expect(txs.count == 60)
            #expect(receipts.count == txs.count)
            let header = try JSONParser.parse(built.headerJSON)
            #expect(header["transactions"]?.arrayValue?.map { $0.stringValue } == txs.map { $0["hash"]?.stringValue })

            var lastCumulative: UInt64 = 0
            var nextLogIndex: UInt64 = 0
            var blobGas: UInt64 = 0
            for (i, (tx, receipt)) in zip(txs, receipts).enumerated() {
                typesSeen.insert(tx["type"]?.stringValue ?? "?")
                #expect(tx["blockHash"]?.stringValue == hash)
                #expect(tx["transactionIndex"]?.stringValue == Hex.quantityString(UInt64(i)))
                #expect(receipt["blockHash"]?.stringValue == hash)
                #expect(receipt["blockNumber"]?.stringValue == Hex.quantityString(n))
                #expect(receipt["transactionHash"] == tx["hash"])
                #expect(receipt["type"] == tx["type"])
                #expect(receipt["effectiveGasPrice"] == tx["gasPrice"])
                let cumulative = try #require(receipt["cumulativeGasUsed"]?.stringValue.flatMap(Hex.parseQuantity))
                #expect(cumulative > lastCumulative)
                lastCumulative = cumulative
                let logs = try #require(receipt["logs"]?.arrayValue)
                for log in logs {
                    #expect(log["logIndex"]?.stringValue == Hex.quantityString(nextLogIndex))
                    #expect(log["blockHash"]?.stringValue == hash)
                    #expect(log["transactionHash"] == tx["hash"])
                    let topics = log["topics"]?.arrayValue ?? []
                    if topics.count == 4, topics.first?.stringValue == Hex.string(SyntheticTransaction.transferTopic) {
                        sawERC721 = true
                        #expect(log["data"]?.stringValue == "0x")
                    }
                    nextLogIndex += 1
                }
                if receipt["status"]?.stringValue == "0x0" {
                    sawRevert = true
                    #expect(logs.isEmpty)
                }
                if tx["to"] == .null {
                    sawCreation = true
                    #expect(receipt["contractAddress"]?.stringValue?.count == 42)
                } else {
                    #expect(receipt["contractAddress"] == .null)
                }
                if tx["type"]?.stringValue == "0x3" {
                    #expect(tx["blobVersionedHashes"]?.arrayValue?.isEmpty == false)
                    #expect(tx["maxFeePerBlobGas"] != nil)
                    #expect(receipt["blobGasPrice"] != nil)
                    blobGas += receipt["blobGasUsed"]?.stringValue.flatMap(Hex.parseQuantity) ?? 0
                } else {
                    #expect(receipt["blobGasUsed"] == nil)
                }
                if tx["type"]?.stringValue == "0x0", tx["chainId"] == nil {
                    sawPre155 = true
                    #expect(["0x1b", "0x1c"].contains(tx["v"]?.stringValue))
                }
            }
            #expect(block["gasUsed"]?.stringValue == Hex.quantityString(lastCumulative))
            #expect(block["blobGasUsed"]?.stringValue == Hex.quantityString(blobGas))
            #expect(block["withdrawals"]?.arrayValue?.count == 16)
            #expect(built.logs.count == Int(nextLogIndex))
        }
        #expect(typesSeen == ["0x0", "0x1", "0x2", "0x3"])
        #expect(sawCreation && sawRevert && sawERC721 && sawPre155)
    }

    @Test("genesis has no transactions and the empty roots")
    func genesis() throws {
        let block = try JSONParser.parse(SyntheticBlockBuilder.build(Self.parameters, number: 0).fullJSON)
        #expect(block["transactions"]?.arrayValue?.isEmpty == true)
        #expect(block["transactionsRoot"]?.stringValue == Hex.string(SyntheticBlockBuilder.emptyTrieRoot))
    }

    @Test("hashes and contract addresses decode back to their position")
    func lookups() throws {
        let chain = SyntheticChain(parameters: Self.parameters)
        let p = Self.parameters
        let located = try #require(chain.locateTransaction(p.transactionHash(150, 7)))
        #expect(located.block == 150 && located.index == 7)
        #expect(chain.locateTransaction(p.transactionHash(150, 60)) == nil) // index beyond the block
        #expect(chain.locateTransaction(p.transactionHash(201, 0)) == nil) // beyond the head
        var forged = p.transactionHash(10, 3)
        forged[0] ^= 1
        #expect(chain.locateTransaction(forged) == nil)
        #expect(chain.blockNumber(forHash: p.blockHash(99)) == 99)
        #expect(chain.blockNumber(forHash: p.transactionHash(99, 0)) == nil)

        let block = SyntheticBlockBuilder.build(p, number: 3)
        let receipts = try #require(try JSONParser.parse(block.receiptsJSON).arrayValue)
        let createdAddresses = receipts.compactMap { $0["contractAddress"]?.stringValue }
        let created = try #require(createdAddresses.first)
        #expect(!chain.code(at: try #require(Hex.parseData(created))).isEmpty)
        #expect(chain.code(at: p.account(5)).isEmpty)
        #expect(chain.code(at: p.erc20Token(3)).count > 20)
    }

    @Test("--precompute renders every block into the cache, byte-identical to rendering on demand")
    func precompute() throws {
        var parameters = Self.parameters
        parameters.blockCount = 40
        let configuration = DevChainConfiguration(mode: .synthetic(parameters), cacheBlocks: 8)
        var precomputing = configuration
        precomputing.precompute = true
        let lazy = try #require(configuration.makeBackend() as? SyntheticBackend)
        let eager = try #require(precomputing.makeBackend() as? SyntheticBackend)
        #expect(lazy.chain.cache.count == 0)
        #expect(eager.chain.cache.count == 41)
        for n in UInt64(0)...40 {
            let fresh = try #require(lazy.chain.block(n))
            let cached = try #require(eager.chain.block(n))
            #expect(cached.fullJSON == fresh.fullJSON && cached.headerJSON == fresh.headerJSON && cached.receiptsJSON == fresh.receiptsJSON)
        }
        #expect(eager.chain.cache.count == 41)
    }
}
