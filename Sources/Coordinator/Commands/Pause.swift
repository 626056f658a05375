// `coordinator pause`: workers stop claiming a kind.

import ArgumentParser

struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop workers from claiming jobs of a kind (running ones finish).")
    @OptionGroup var pausing: KindPausing

    func run() async throws { try await pausing.set(paused: true) }
}
