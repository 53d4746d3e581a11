import ArgumentParser
import BounceClassification
@preconcurrency import Glibc

/// Measures `classify --tsv` as a user runs it: a whole child process (start-up and rule loading
/// included) reading a realistic mix from a file and writing its answers to another. Used by
/// `make bench-classify`.
struct BenchClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-classify", abstract: "Measure `classify --tsv` throughput on a realistic mix.",
        shouldDisplay: false)

    @OptionGroup var config: ConfigOptions

    @Option(help: "How many responses to classify.")
    var lines = 1_000_000

    @Option(help: "How many times to run `classify --tsv` over the mix; the last line gives the median of each figure.")
    var runs = 3

    @Option(help: "Seed of the mix generator (the same seed gives the same lines).")
    var seed: UInt64 = 12

    @Option(help: "Keep the generated mix in this file instead of a temporary one.")
    var keepInput: String?

    func validate() throws {
        if lines < 1 { throw ValidationError("--lines must be at least 1") }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let classifier = try Classifier.load(
            rulesDirectory: try config.resolvedConfigDirectory() + "/rules", userRuleFiles: config.userRuleFiles)
        let inputPath = keepInput ?? "/tmp/bounceplan-bench-classify-\(getpid()).tsv"
        let outputPath = "/tmp/bounceplan-bench-classify-\(getpid()).out"
        defer {
            if keepInput == nil { unlink(inputPath) }
            unlink(outputPath)
        }
        var generator = BenchMix(templates: BenchMix.templates(from: classifier), seed: seed)
        let shape = try generator.write(lines: lines, to: inputPath)

        var arguments = ["classify", "--tsv"]
        if let directory = config.configDirectory { arguments += ["--config-dir", directory] }
        for file in config.userRuleFiles { arguments += ["--rules", file] }
        let shapeFields = "lines=\(lines) median_bytes=\(shape.medianBytes) p90_bytes=\(shape.p90Bytes) "
            + "over_200_bytes=\(percent(shape.over200, lines)) embedded_replies=\(percent(shape.embedded, lines))"
        var results: [ChildRun.Result] = []
        for run in 1...runs {
            let child = try ChildRun.run(arguments: arguments, input: inputPath, output: outputPath)
            guard child.exitStatus == 0 else {
                throw BenchError("classify --tsv exited with status \(child.exitStatus)")
            }
            let answers = try AnswerTally.read(outputPath)
            guard answers.lines == lines else {
                throw BenchError("classify --tsv wrote \(answers.lines) lines for \(lines) input lines")
            }
            results.append(child)
            let tally = BounceCategory.allCases.map { "\($0.rawValue)=\(answers.categories[$0.rawValue] ?? 0)" }.joined(separator: " ")
            print("bench-classify run=\(run) \(shapeFields) \(figures(seconds: child.seconds, cpuSeconds: child.cpuSeconds, peakKiB: child.peakResidentKiB)) \(tally)")
        }
        // Each figure's own median: on a shared machine the wall time of one run says little alone.
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let medianPeak = Int(median(results.map { Double($0.peakResidentKiB) }))
        print("bench-classify median_of=\(runs) \(shapeFields) "
              + figures(seconds: median(results.map(\.seconds)), cpuSeconds: median(results.map(\.cpuSeconds)), peakKiB: medianPeak))
    }

    private func figures(seconds: Double, cpuSeconds: Double, peakKiB: Int) -> String {
        "seconds=\(format(seconds, 3)) per_second=\(Int(Double(lines) / max(seconds, 1e-9))) "
            + "cpu_seconds=\(format(cpuSeconds, 3)) per_cpu_second=\(Int(Double(lines) / max(cpuSeconds, 1e-9))) "
            + "peak_rss_mb=\(format(Double(peakKiB) / 1024, 1))"
    }

    private func percent(_ part: Int, _ whole: Int) -> String { format(100 * Double(part) / Double(whole), 1) + "%" }

    private func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs this program once more as a child with stdin and stdout redirected to files, and reports the
/// child's own wall time, CPU time and peak resident memory.
enum ChildRun {
    struct Result {
        let exitStatus: Int32
        let seconds: Double
        let cpuSeconds: Double
        let peakResidentKiB: Int
    }

    static func run(arguments: [String], input: String, output: String) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let program = "/proc/self/exe"
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let started = clock.now
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError("cannot start classify --tsv: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("waiting for classify --tsv: \(String(cString: strerror(errno)))") }
        }
        let elapsed = (clock.now - started).components
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let exited = status & 0x7F == 0
        return Result(exitStatus: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
                      seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                      cpuSeconds: cpu, peakResidentKiB: usage.ru_maxrss)
    }
}

/// Counts the answer lines and their categories (the first field).
enum AnswerTally {
    static func read(_ path: String) throws -> (lines: Int, categories: [String: Int]) {
        guard let file = fopen(path, "r") else { throw BenchError("cannot read \(path)") }
        defer { fclose(file) }
        var lines = 0
        var categories: [String: Int] = [:]
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var field: [UInt8] = []
        var inFirstField = true
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, 1 << 20, file) }
            if count == 0 { break }
            for byte in buffer[0..<count] {
                if byte == 0x0A {
                    lines += 1
                    categories[String(decoding: field, as: UTF8.self), default: 0] += 1
                    field.removeAll(keepingCapacity: true)
                    inFirstField = true
                } else if inFirstField {
                    if byte == 0x09 { inFirstField = false } else { field.append(byte) }
                }
            }
        }
        return (lines, categories)
    }
}
