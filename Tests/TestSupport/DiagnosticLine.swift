/// One line the program wrote to standard error: `2026-11-30T02:30:04Z error bounceplan: message`.
public struct DiagnosticLine: Sendable, Equatable, CustomStringConvertible {
    public var level: String
    public var message: String

    public init(level: String, message: String) {
        self.level = level
        self.message = message
    }

    /// Reads a line of that form; nil when the line has another form (no time, no level, no label).
    public init?(parsing line: Substring) {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, Self.isTimestamp(parts[0]), parts[2] == "bounceplan:" else { return nil }
        level = String(parts[1])
        message = String(parts[3])
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, digit for digit.
    static func isTimestamp(_ text: Substring) -> Bool {
        let shape = Array("dddd-dd-ddTdd:dd:ddZ")
        let characters = Array(text)
        guard characters.count == shape.count else { return false }
        return zip(characters, shape).allSatisfy { character, expected in
            expected == "d" ? character.isASCII && character.isNumber : character == expected
        }
    }

    public var description: String { "\(level) \(message)" }
}

extension ProgramResult {
    /// Standard error, line by line, as diagnostic lines; nil for each line not in that form.
    public var diagnostics: [DiagnosticLine?] {
        stderr.split(separator: "\n").map { DiagnosticLine(parsing: $0) }
    }
}
