import ArgumentParser
import BounceClassification
@preconcurrency import Glibc

/// Measures classifier throughput on a realistic mix built from the rule examples (used by `make bench`).
struct BenchClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-classify", abstract: "Measure classifier throughput.", shouldDisplay: false)

    @OptionGroup var config: ConfigOptions

    @Option(help: "How many responses to classify.")
    var lines = 1_000_000

    func validate() throws {
        if lines < 1 { throw ValidationError("--lines must be at least 1") }
    }

    func run() throws {
        let classifier = try Classifier.load(
            rulesDirectory: try config.resolvedConfigDirectory() + "/rules", userRuleFiles: config.userRuleFiles)
        let mix = BenchMix.build(from: classifier)
        var counts = [Int](repeating: 0, count: BounceCategory.allCases.count)
        let cpuBefore = cpuSeconds()
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<lines {
                let result = classifier.classify(mix[index % mix.count])
                counts[BenchMix.slot(result.category)] += 1
            }
        }
        let cpu = cpuSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(lines) / max(seconds, 1e-9)
        let tally = zip(BounceCategory.allCases, counts).map { "\($0.rawValue)=\($1)" }.joined(separator: " ")
        print("bench-classify lines=\(lines) distinct=\(mix.count) seconds=\(format(seconds, 3)) per_second=\(Int(perSecond)) "
              + "cpu_seconds=\(format(cpu, 3)) per_cpu_second=\(Int(Double(lines) / max(cpu, 1e-9))) "
              + "peak_rss_mb=\(format(Double(peakResidentKiB()) / 1024, 1)) \(tally)")
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    /// User plus system CPU time of this process: on a shared machine, wall time also counts other work.
    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// VmHWM from /proc/self/status, in KiB (0 where unavailable).
    private func peakResidentKiB() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        while fgets(&buffer, 256, file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if line.hasPrefix("VmHWM:") {
                return Int(line.dropFirst(6).filter { $0.isNumber }) ?? 0
            }
        }
        return 0
    }
}

/// A realistic mix: every rule example as the mailer would record it (code and status in their own
/// fields, sometimes only in the text), with varied recipient addresses, plus unmatched noise.
enum BenchMix {
    /// The category's position in `BounceCategory.allCases`, without building that array per call.
    static func slot(_ category: BounceCategory) -> Int {
        switch category {
        case .suppress: 0
        case .retry: 1
        case .ratelimit: 2
        case .sender: 3
        case .content: 4
        case .ignore: 5
        case .unknown: 6
        }
    }

    static func build(from classifier: Classifier) -> [BounceResponse] {
        var mix: [BounceResponse] = []
        var serial = 0
        for rule in classifier.rules {
            for example in rule.examples {
                for variant in 0..<4 {
                    serial += 1
                    var response = example
                    if variant % 2 == 1 { response.diagnostic = "<user\(serial)@example\(serial % 97).org>: " + example.diagnostic }
                    if variant >= 2 && response.smtpCode == nil { response.smtpCode = [550, 554, 421, 451, 452][serial % 5] }
                    mix.append(response)
                }
            }
        }
        let noise = [
            "Remote host said: 550 Message rejected", "Delivery failed", "smtp; 554 Transaction failed",
            "The message could not be delivered", "Undeliverable: weekly newsletter", "host mx.example.net said: 451 please retry",
        ]
        for (index, text) in noise.enumerated() { mix.append(BounceResponse(diagnostic: text + " #\(index)")) }
        return mix
    }
}
