/// A problem in a policy file: which file, which key, what is wrong.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as given to `load(path:)` (or the source name given to `parse`).
    public var file: String
    /// Dotted key such as `retry.factor`; empty for the file as a whole.
    public var key: String
    /// What is wrong, and what would be right.
    public var problem: String
    /// 1-based line in the file, when known.
    public var line: Int?

    public init(file: String, key: String, problem: String, line: Int? = nil) {
        self.file = file
        self.key = key
        self.problem = problem
        self.line = line
    }

    /// `Config/policy.yaml:12: retry.factor: must be at least 1 (got 0.5)`.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}
