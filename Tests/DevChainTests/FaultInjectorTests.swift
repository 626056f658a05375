// FaultInjectorTests: fault decisions are reproducible from the seed and honour the rates.

import Testing
@testable import DevChain

@Suite("fault injection")
struct FaultInjectorTests {
    @Test("the same seed gives the same decisions; another seed differs")
    func reproducible() {
        let a = FaultInjector(errorRate: 0.3, dropRate: 0.1, seed: 11)
        let b = FaultInjector(errorRate: 0.3, dropRate: 0.1, seed: 11)
        let c = FaultInjector(errorRate: 0.3, dropRate: 0.1, seed: 12)
        let seqA = (0..<500).map { _ in a.nextDecision() }
        let seqB = (0..<500).map { _ in b.nextDecision() }
        let seqC = (0..<500).map { c.decision(forRequest: UInt64($0)) }
        #expect(seqA == seqB)
        #expect(seqA != seqC)
        #expect(seqA == (0..<500).map { a.decision(forRequest: UInt64($0)) })
    }

    @Test("rates are honoured and all three error kinds occur")
    func rates() {
        let f = FaultInjector(errorRate: 0.3, dropRate: 0.1, seed: 3)
        let decisions = (0..<20_000).map { f.decision(forRequest: UInt64($0)) }
        let drops = decisions.filter { $0 == .drop }.count
        let errors = decisions.filter { $0 != .drop && $0 != .none }.count
        #expect(abs(Double(drops) / 20_000 - 0.1) < 0.01)
        // Errors are drawn among the requests not dropped.
        #expect(abs(Double(errors) / 20_000 - 0.27) < 0.015)
        #expect(Set(decisions) == [.none, .drop, .httpStatus500, .httpStatus429, .headerNotFound])
    }

    @Test("zero rates never inject")
    func inactive() {
        let f = FaultInjector(errorRate: 0, dropRate: 0, seed: 1)
        #expect(!f.isActive)
        #expect((0..<1000).allSatisfy { f.decision(forRequest: UInt64($0)) == .none })
    }
}
