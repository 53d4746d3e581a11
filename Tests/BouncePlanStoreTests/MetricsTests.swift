import BouncePlanStore
import Foundation
import Testing

@Suite("Prometheus metrics file")
struct MetricsTests {
    @Test func textFormatHasHelpTypeAndEscapedLabels() {
        let text = MetricsFile.render(
            lastSuccess: Date(timeIntervalSince1970: 1_795_900_000), durationSeconds: 12.5,
            eventsTotal: ["suppress": 3, "retry": 10, "we\"ird\\": 1])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(text.hasSuffix("\n"))
        #expect(lines.contains("# TYPE bounceplan_last_success_timestamp_seconds gauge"))
        #expect(lines.contains("bounceplan_last_success_timestamp_seconds 1795900000"))
        #expect(lines.contains("# TYPE bounceplan_run_duration_seconds gauge"))
        #expect(lines.contains("bounceplan_run_duration_seconds 12.500000"))
        #expect(lines.contains("# TYPE bounceplan_events_total counter"))
        #expect(lines.contains("bounceplan_events_total{category=\"retry\"} 10"))
        #expect(lines.contains("bounceplan_events_total{category=\"suppress\"} 3"))
        #expect(lines.contains("bounceplan_events_total{category=\"we\\\"ird\\\\\"} 1"))
        // Every metric has its HELP and TYPE before its samples.
        for name in ["bounceplan_last_success_timestamp_seconds", "bounceplan_run_duration_seconds", "bounceplan_events_total"] {
            let help = lines.firstIndex { $0.hasPrefix("# HELP \(name) ") }
            let type = lines.firstIndex { $0.hasPrefix("# TYPE \(name) ") }
            let sample = lines.firstIndex { $0.hasPrefix(name) }
            #expect(help != nil && type != nil && sample != nil)
            #expect((help ?? 99) < (type ?? 0) && (type ?? 99) < (sample ?? 0))
        }
        // Sample lines: name, optional labels, one number.
        for line in lines where !line.hasPrefix("#") {
            let value = line.split(separator: " ").last.map(String.init) ?? ""
            #expect(Double(value) != nil, "\(line)")
        }
    }

    @Test func eventsTotalSumsEveryRunAndTheFileIsWrittenAtomically() throws {
        let fixture = try StoreFixture()
        try fixture.insert([ExportEvents.complaint("a@example.com", at: "2026-11-28T10:00:00Z"),
                            ExportEvents.complaint("b@example.com", at: "2026-11-28T10:00:00Z")])
        try fixture.run()
        try fixture.insert([ExportEvents.complaint("c@example.com", at: "2026-11-28T11:00:00Z"),
                            ExportEvents.deferral("d@example.com", at: "2026-11-28T11:00:00Z")])
        try fixture.run()
        let totals = try MetricsFile.eventsTotal(from: fixture.connection)
        #expect(totals["suppress"] == 3)
        #expect(totals.values.reduce(0, +) == 4)
        let folder = try ScratchFolder()
        let path = folder.file("bounceplan.prom")
        try "stale\n".write(toFile: path, atomically: false, encoding: .utf8)
        try MetricsFile.write(to: path, lastSuccess: Date(timeIntervalSince1970: 100), durationSeconds: 1, eventsTotal: totals)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("bounceplan_events_total{category=\"suppress\"} 3"))
        #expect(!text.contains("stale"))
        #expect(folder.entries == ["bounceplan.prom"])
    }
}
