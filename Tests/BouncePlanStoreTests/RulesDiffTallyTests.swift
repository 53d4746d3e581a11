import BouncePlanStore
import Testing

/// The counting behind `rules diff`, without a database.
@Suite("Rules diff tally")
struct RulesDiffTallyTests {
    private func pair(_ before: String, _ beforeRule: String, _ after: String, _ afterRule: String) -> DecisionPair {
        DecisionPair(before: (before, beforeRule), after: (after, afterRule))
    }

    private func sample(_ text: String) -> RulesDiffTally.Sample {
        RulesDiffTally.Sample(smtpCode: 550, enhancedStatus: "5.0.0", diagnostic: text, ruleBefore: "a", ruleAfter: "b")
    }

    @Test func countsTransitionsUnchangedAndRuleOnlyChanges() {
        var tally = RulesDiffTally(samplesPerTransition: 2)
        for index in 0..<5 { tally.record(pair("unknown", "code.5xx", "suppress", "cand.gone")) { sample("gone \(index)") } }
        tally.record(pair("retry", "code.4xx", "sender", "cand.block")) { sample("blocked") }
        tally.record(pair("retry", "code.4xx", "retry", "code.4xx")) { sample("same") }
        tally.record(pair("retry", "code.4xx", "retry", "cand.busy")) { sample("other rule") }

        #expect(tally.events == 8)
        #expect(tally.changed == 6)
        #expect(tally.unchanged == 1)
        #expect(tally.ruleChangedOnly == 1)
        #expect(tally.newlySuppressedEvents == 5)
        let transitions = tally.transitions
        #expect(transitions.map { "\($0.from)>\($0.to)=\($0.count)" } == ["unknown>suppress=5", "retry>sender=1"])
        #expect(transitions[0].samples.map(\.diagnostic) == ["gone 0", "gone 1"], "the first samples, at most the limit")
    }

    @Test func samplesAreOnlyBuiltForTheFirstEventsOfATransition() {
        var tally = RulesDiffTally(samplesPerTransition: 1)
        var built = 0
        for _ in 0..<100 {
            tally.record(pair("unknown", "x", "suppress", "y")) { built += 1; return sample("t") }
            tally.record(pair("retry", "x", "retry", "x")) { built += 1; return sample("t") }
        }
        #expect(built == 1)
    }

    @Test("which events become suppressions", arguments: [
        ("unknown", "suppress", true), ("retry", "suppress", true), ("suppress", "suppress", false),
        ("suppress", "retry", false), ("retry", "sender", false),
    ])
    func becomesSuppression(before: String, after: String, expected: Bool) {
        #expect(RulesDiffTally.becomesSuppression(pair(before, "a", after, "b")) == expected)
    }

    @Test func equalCountsAreOrderedByName() {
        var tally = RulesDiffTally()
        tally.record(pair("unknown", "a", "suppress", "b")) { sample("1") }
        tally.record(pair("retry", "a", "content", "b")) { sample("2") }
        #expect(tally.transitions.map(\.from) == ["retry", "unknown"])
    }
}
