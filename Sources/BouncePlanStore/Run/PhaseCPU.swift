import Foundation

/// CPU seconds spent so far by this process (every thread) and, when the server runs on this machine,
/// by the run's server backend: `RunSummary` keeps them per phase, because on a shared machine the wall
/// clock counts everyone's work.
public struct PhaseCPU: Sendable {
    /// The run's server backend, or 0 when its `/proc` entry cannot be read (a server elsewhere).
    public let backend: Int32

    public init(backend: Int32) { self.backend = backend }

    /// User plus system CPU time of this process.
    public static func process() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User plus system CPU time of the backend, nil when it is not a process of this machine.
    public func server() -> Double? {
        guard backend > 0, let stat = try? String(contentsOfFile: "/proc/\(backend)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
