// ChainGrowthTests: devchain's --head and --grow-per-second, which follow-mode tests rely on.

import Testing
@testable import DevChain

@Suite("chain growth")
struct ChainGrowthTests {
    static let parameters = SyntheticChainParameters(seed: 5, blockCount: 1000, transactionsPerBlock: 1)

    @Test("--head starts the chain lower: blocks above it are unknown, finalized is 64 behind it")
    func startHead() {
        let chain = SyntheticChain(parameters: Self.parameters, startHead: 300)
        #expect(chain.head == 300)
        #expect(chain.block(300) != nil)
        #expect(chain.block(301) == nil)
        #expect(BlockTag.finalized.resolve(head: chain.head) == 236)
        #expect(SyntheticChain(parameters: Self.parameters, lagBlocks: 10, startHead: 300).head == 290)
    }

    @Test("a growing head never passes the last block; without growth the head is the last block")
    func growthIsCapped() {
        #expect(SyntheticChain(parameters: Self.parameters, startHead: 300, growPerSecond: 1e12).head == 1000)
        #expect(SyntheticChain(parameters: Self.parameters, startHead: 5000).head == 1000)
        #expect(SyntheticChain(parameters: Self.parameters).head == 1000)
    }
}
