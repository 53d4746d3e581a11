import Testing
@testable import BouncePlanning

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy.defaults

    static let delays: [(Int, Int64)] = [
        (1, 300), (2, 600), (3, 1200), (4, 2400), (5, 4800), (6, 9600), (7, 14_400), (50, 14_400), (Int.max, 14_400),
    ]

    @Test(arguments: delays)
    func delayDoublesUpToTheCap(attempt: Int, seconds: Int64) {
        #expect(policy.delay(attempt: attempt) == .seconds(seconds))
    }

    @Test func delayOfNonsenseAttemptsIsTheBase() {
        #expect(policy.delay(attempt: 0) == .minutes(5))
        #expect(policy.delay(attempt: -3) == .minutes(5))
    }

    @Test func jitterIsDeterministicPerMessageAndRecipient() {
        let first = policy.jitter(messageID: "<a@b>", recipient: "x@example.com")
        #expect(first == policy.jitter(messageID: "<a@b>", recipient: "x@example.com"))
        #expect(first >= 0 && first < policy.jitterFraction)
        #expect(first != policy.jitter(messageID: "<a@b>", recipient: "y@example.com"))
    }

    @Test func jitterIsTheDocumentedHash() {
        // FNV-1a 64 of "<a@b>\nx@example.com", worked out by hand from the published constants.
        #expect(RetryPolicy.jitterHash(messageID: "<a@b>", recipient: "x@example.com") == 12_504_272_807_305_886_205)
        // 0.1 × (hash >> 11) / 2^53 = 0.1 × 0.677857987151623
        #expect(abs(policy.jitter(messageID: "<a@b>", recipient: "x@example.com") - 0.0677857987151623) < 1e-15)
    }

    @Test func nextAttemptAddsDelayAndJitterToTheEventTime() {
        let decision = policy.nextAttempt(eventTime: day(0), attempt: 3, messageID: "m", recipient: "r@x.org")
        // Attempt 3: 5 min × 2² = 20 min; jitter 1200 s × 0.1 × 0.268559 (FNV-1a of "m\nr@x.org") = 32.2 s, rounded down.
        #expect(decision == .retry(at: day(0) + .minutes(20) + .seconds(32), attempt: 3))
    }

    @Test func retryUnderAHoldWaitsForTheHoldToEnd() {
        let hold = day(0, hour: 5)
        guard case .retry(let at, _) = policy.nextAttempt(
            eventTime: day(0), attempt: 1, messageID: "m", recipient: "r@x.org", holdUntil: hold)
        else { Issue.record("expected a retry"); return }
        #expect(at >= hold)
        #expect(at < hold + .minutes(1))
    }

    @Test func retryIsNotPlannedBeforeNow() {
        let now = day(2)
        guard case .retry(let at, _) = policy.nextAttempt(
            eventTime: day(0), attempt: 1, messageID: "m", recipient: "r@x.org", notBefore: now)
        else { Issue.record("expected a retry"); return }
        #expect(at >= now)
    }

    @Test func givesUpAfterMaxAttempts() {
        #expect(policy.nextAttempt(eventTime: day(0), attempt: 31, messageID: "m", recipient: "r") == .giveUp(reason: .maxAttempts))
        #expect(policy.nextAttempt(eventTime: day(0), attempt: 30, messageID: "m", recipient: "r") != .giveUp(reason: .maxAttempts))
    }

    @Test func givesUpWhenTheRetryWouldExceedMaxAge() {
        let decision = policy.nextAttempt(eventTime: day(5), attempt: 2, messageID: "m", recipient: "r", firstFailure: day(0))
        #expect(decision == .giveUp(reason: .maxAge))
        #expect(GiveUpReason.maxAge.rawValue == "max_age")
        #expect(GiveUpReason.maxAttempts.rawValue == "max_attempts")
    }

    @Test func describesTheDelayArithmetic() {
        #expect(policy.describeDelay(attempt: 3) == "min(cap 4h, 5m×2^2) = 20m")
    }

    @Test func zeroJitterFractionAddsNothing() {
        var flat = policy
        flat.jitterFraction = 0
        #expect(flat.nextAttempt(eventTime: day(0), attempt: 1, messageID: "m", recipient: "r") == .retry(at: day(0) + .minutes(5), attempt: 1))
    }
}

/// Values computed by the PL/pgSQL mirror documented on `StableHash` (run on PostgreSQL 15),
/// so that a store that plans retries in SQL agrees with this module to the second.
@Suite struct JitterSQLMirrorTests {
    @Test func hashAgreesWithTheSQLMirror() {
        #expect(StableHash.fnv1a64("m1\nann@gmail.com") == 3_416_199_939_410_608_775)
        #expect(StableHash.fnv1a64("<é@x>\nü@exämple.org") == 10_600_146_560_443_525_428)
    }

    @Test func jitterSecondsAgreeWithTheSQLMirror() {
        #expect(RetryPolicy.defaults.jitterDelay(.seconds(1200), messageID: "m1", recipient: "ann@gmail.com") == .seconds(22))
    }
}
