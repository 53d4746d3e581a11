// PLACEHOLDER — owned by the classifier work (issue 3).
import ArgumentParser

/// Measures classifier throughput (used by `make bench-classify`).
struct BenchClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-classify", abstract: "Measure classifier throughput.", shouldDisplay: false)
    func run() throws {}
}
