import BounceClassification
import Testing

/// A rule's priority is ranked in a fixed number of bits: an out-of-range number is a mistake in the
/// file, said as such, never an arithmetic overflow that stops the program.
@Suite("Rule priority range")
struct PriorityRangeTests {
    static func validate(priority: String) throws -> [RuleDefinition] {
        let path = TestSupport.temporaryDirectory() + "/priority.yaml"
        TestSupport.write("""
            rules:
              - id: acme.full
                category: retry
                reason: mailbox_full
                priority: \(priority)
                codes: [552]
                any: ["acme box full"]
                examples: ["552 acme box full"]
            """, to: path)
        return try Classifier.validate(ruleFile: path)
    }

    @Test("a priority beyond ±1000 is refused with the allowed range",
          arguments: ["9223372036854775807", "-9223372036854775808", "1001", "-1001"])
    func outOfRange(priority: String) throws {
        let error = #expect(throws: RuleFileError.self) { try Self.validate(priority: priority) }
        #expect(error?.description.contains("`priority` must be between -1000 and 1000") == true, "\(String(describing: error))")
    }

    @Test("the ends of the range are accepted", arguments: ["1000", "-1000"])
    func inRange(priority: String) throws {
        #expect(try Self.validate(priority: priority).map(\.priority) == [Int(priority)!])
    }
}
