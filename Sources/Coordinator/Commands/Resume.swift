// `coordinator resume`: workers claim a paused kind again.

import ArgumentParser

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let workers claim a paused kind again.")
    @OptionGroup var pausing: KindPausing

    func run() async throws { try await pausing.set(paused: false) }
}
