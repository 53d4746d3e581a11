import Testing
import BouncePlanning

@Suite struct HoldParserTests {
    @Test(arguments: [
        ("421 4.7.0 Try again in an hour", Int64(3600)),
        ("451 4.7.1 Please try again later in 15 minutes", 900),
        ("450 rate limited, retry in 300 seconds", 300),
        ("421 Temporarily deferred, try again after 24 hours", 86_400),
        ("421 too many connections; please wait 10 min", 600),
        ("452 Try again in 2hrs", 7200),
        ("452 TRY AGAIN IN 30MIN", 1800),
        ("421 4.7.28 blocked for 1 day", 86_400),
    ])
    func findsStatedHolds(text: String, seconds: Int64) {
        #expect(HoldParser.hold(in: text) == .seconds(seconds))
    }

    @Test(arguments: [
        "421 4.7.0 Try again later",
        "550 5.4.7 Message expired after 24 hours",
        "452 4.2.2 Mailbox full",
        "try again in 999999999999 seconds",
        "retry in 30 days",
        "retry in",
        "",
        "in 5 minutes the world ends",
    ])
    func findsNoneWhereNoneIsStated(text: String) {
        #expect(HoldParser.hold(in: text) == nil)
    }

    @Test func policyCapsStatedHoldsAndDefaultsTheRest() {
        let policy = RateLimitPolicy.defaults
        #expect(policy.hold(statedIn: "try again in 3 days") == .seconds(86_400))
        #expect(policy.hold(statedIn: "try again later") == .seconds(3600))
        #expect(policy.hold(statedIn: "try again in 15 minutes") == .seconds(900))
    }
}
