// The signal that ends a run, shared by every worker's tasks.

import Synchronization

final class SoakStop: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
