import BounceClassification
import Foundation
import Testing

@Suite("Rule examples")
struct RuleExamplesTests {
    @Test("every default rule's examples classify to that rule")
    func examplesMatchTheirRules() {
        let mismatches = TestSupport.classifier.exampleMismatches()
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))")
        #expect(TestSupport.classifier.exampleCount >= TestSupport.classifier.rules.count)
    }

    @Test("every rule has an example and a reason from the documented vocabulary")
    func reasonsAreDocumented() throws {
        let readme = try String(contentsOfFile: TestSupport.packageRoot.appendingPathComponent("Config/rules/README.md").path, encoding: .utf8)
        for rule in TestSupport.classifier.rules {
            #expect(!rule.examples.isEmpty, "\(rule.id) has no example")
            #expect(readme.contains("`\(rule.reason)`"), "reason \(rule.reason) of \(rule.id) is not documented in Config/rules/README.md")
        }
    }
}
