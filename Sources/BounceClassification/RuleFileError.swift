/// A rule file that cannot be used: names the file, the rule (when known), the line and what is wrong.
public struct RuleFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path of the offending file.
    public let file: String
    /// Id of the offending rule, when the problem lies inside one.
    public let ruleID: String?
    /// 1-based line, when known.
    public let line: Int?
    /// What is wrong, in plain words.
    public let message: String

    public init(file: String, ruleID: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.ruleID = ruleID
        self.line = line
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let ruleID { text += ": rule '\(ruleID)'" }
        return text + ": " + message
    }
}
