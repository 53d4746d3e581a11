import Foundation
import TestSupport
import Testing

/// `contrib/systemd/`: the nightly run as a service and a timer.
@Suite("systemd units")
struct SystemdUnitTests {
    static let folder = TestDatabase.repositoryRoot + "/contrib/systemd/"

    /// The `key=value` lines of a unit file, by section; later values of a key follow earlier ones.
    static func settings(_ name: String) throws -> [String: [String: [String]]] {
        var sections: [String: [String: [String]]] = [:]
        var current = ""
        for line in try String(contentsOfFile: folder + name, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("[") { current = String(line.dropFirst().dropLast()); continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            sections[current, default: [:]][String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
        }
        return sections
    }

    @Test func theServiceRunsTheNightlyRunAndRetriesOnlyALockHeldElsewhere() throws {
        let service = try #require(try Self.settings("bounceplan.service")["Service"])
        #expect(service["Type"] == ["oneshot"])
        #expect(service["ExecStart"]?.first?.contains("bin/bounceplan run ") == true)
        #expect(service["Restart"] == ["on-failure"])
        // Every exit status the program uses other than 0 and 75 is kept from retrying.
        #expect(service["RestartPreventExitStatus"] == ["1 2"])
        #expect(service["RestartSec"] == ["10min"])
    }

    @Test func theTimerStartsTheServiceNightlyAfterTheCampaigns() throws {
        let timer = try #require(try Self.settings("bounceplan.timer")["Timer"])
        #expect(timer["OnCalendar"] == ["*-*-* 02:30:00"])
        #expect(timer["Persistent"] == ["true"])
        #expect(timer["Unit"] == ["bounceplan.service"])
        let readme = try String(contentsOfFile: TestDatabase.repositoryRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains("30 2 * * *  cd /opt/bounceplan"), "the cron line runs at the same time")
        #expect(readme.contains("contrib/systemd/"))
    }

    /// systemd's own checker, with the program path pointed at the built program.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func systemdAcceptsBothUnits() throws {
        let scratch = NSTemporaryDirectory() + "bounceplan-units-\(UUID().uuidString)/"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for name in ["bounceplan.service", "bounceplan.timer"] {
            let text = try String(contentsOfFile: Self.folder + name, encoding: .utf8)
                .replacingOccurrences(of: "/opt/bounceplan/bin/bounceplan", with: ProgramRunner.bounceplanPath)
            try text.write(toFile: scratch + name, atomically: false, encoding: .utf8)
        }
        let result = try ProgramRunner.run(
            "/usr/bin/systemd-analyze", ["verify", scratch + "bounceplan.timer", scratch + "bounceplan.service"],
            timeout: .seconds(60))
        #expect(result.exited(0), "\(result)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
