import ArgumentParser
import BouncePlanStore

/// `bounceplan report`: the nightly report for people (text, HTML) and machines (JSON).
struct ReportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Counts per category and reason, top destinations, change since the previous run, 30-run trend.",
        discussion: "--format html writes one self-contained page (inline CSS and SVG, nothing loaded from elsewhere).")

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("run"), help: ArgumentHelp("The run to report (default: the latest).", valueName: "id"))
    var runID: Int?
    @Option(help: "text, json or html.") var format: Format = .text
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file atomically; - is standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let report = try ReportData.load(run: runID, from: try connection.openCurrent())
        let text: String
        switch format {
        case .text: text = ReportText.render(report)
        case .json: text = report.json + "\n"
        case .html: text = ReportHTML.render(report)
        }
        try AtomicFile.writeOutput(output) { try $0.write(text) }
    }
}
