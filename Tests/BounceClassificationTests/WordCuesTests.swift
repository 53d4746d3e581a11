@testable import BounceClassification
import Testing

/// Word families decide texts that no text rule recognises (issue 12, round 5): the wordings below
/// are not phrases of any rule file.
@Suite("Word families for texts no rule recognises")
struct WordCuesTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a recipient noun near a word saying it is gone suppresses", arguments: [
        ("550 recipient e-mail adress unknown", "user_unknown"),
        ("550 The addressee you wrote is unknown here", "user_unknown"),
        ("550 subscriber account doesn't exist", "user_unknown"),
        ("550 Sorry, no such alias", "user_unknown"),
        ("550 no valid mailbox here", "user_unknown"),
        ("550 destination mailbox is not registered on this system", "user_unknown"),
        ("550 mailbox has been discontinued", "mailbox_disabled"),
        ("554 account terminated by owner", "mailbox_disabled"),
        ("550 malformed recipient address syntax: invalid", "invalid_address"),
        ("550 host is unknown", "domain_not_found"),
    ])
    func recipientGone(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .suppress)
        #expect(verdict.reason == reason)
    }

    @Test("a noun that is ours never suppresses", arguments: [
        "550 originator account is unknown", "550 Sender verify failed: user unknown", "550 your account is suspended",
    ])
    func oursNeverSuppresses(text: String) {
        #expect(classify(text).category != .suppress)
    }

    @Test("the safety rules hold for a suppression found by words", arguments: [
        ("550 Sender verify failed: user unknown", BounceCategory.sender),
        // Temporary wording, or a 4xx reply.
        ("550 recipient mailbox unknown, try again later", .retry),
        ("451 recipient address unknown here", .retry),
        // Words that name us.
        ("550 recipient address unknown; your IP is listed", .sender),
        // A domain that cannot be looked up for now, and the reporting host of qmail.
        ("554 domain lookup not found, try again", .retry),
    ])
    func safety(text: String, category: BounceCategory) {
        #expect(classify(text).category == category)
    }

    @Test("other families refine a bare code's verdict", arguments: [
        ("450 Too many recipient attempts", BounceCategory.ratelimit, "rate_limited"),
        ("421 4.7.0 RCPT sent too many times", .ratelimit, "rate_limited"),
        ("452 4.5.3 Maximum limit of 50 recipients reached", .ratelimit, "too_many_recipients"),
        ("462 Daily send limit reached. Please try again tomorrow", .ratelimit, "daily_limit"),
        ("451 4.5.1 Max concurrent sessions (#1.04)", .ratelimit, "rate_limited"),
        ("552 Allocated mailbox storage exceeded (#1.02)", .retry, "mailbox_full"),
        ("552 5.3.4 Max message size exceeded", .content, "message_too_large"),
        ("501 5.7.1 Message is too long", .content, "message_too_large"),
        ("550 not local", .sender, "relay_denied"),
        ("554 Your mail is not welcome here", .sender, "policy_rejection"),
        ("550 Host mail.example.com [192.0.2.7] is listed by ips.backscatterer.org", .sender, "ip_blocklisted"),
        ("550 Macro links in the body are not permitted", .content, "content_policy"),
        ("550 Access forbidden", .sender, "policy_rejection"),
        ("Temporary address resolution failure", .retry, "dns_temporary"),
        ("Internal server error", .retry, "temporary_failure"),
        ("Come back later", .retry, "temporary_failure"),
        ("the socket to 192.0.2.9 was dropped by the peer", .retry, "connection_failed"),
        ("554 5.4.7 [internal] exceeded max time without delivery", .retry, "message_expired"),
    ])
    func otherFamilies(text: String, category: BounceCategory, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == category)
        #expect(verdict.reason == reason)
    }

    @Test("generic temporary wording does not hide a limit, a full mailbox or a size the words name", arguments: [
        ("451 HST-RTE: Hourly send rate exceeded, retry later.", BounceCategory.ratelimit, "rate_limited"),
        ("451 HST-RTE: Daily send rate exceeded, retry later", .ratelimit, "daily_limit"),
        ("451 Temporary local problem - please try later", .retry, "temporary_failure"),
    ])
    func temporaryWordingRefined(text: String, category: BounceCategory, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == category)
        #expect(verdict.reason == reason)
    }

    @Test("words that say nothing definite stay unknown", arguments: [
        "550 Message rejected", "550 Rejected", "554 Transaction failed", "503 5.5.1 No recipients",
    ])
    func nothingDefinite(text: String) {
        #expect(classify(text).category != .suppress)
        #expect(classify(text).category != .sender || text.contains("5.5.1"))
    }

    @Test("a specific code or status keeps its verdict over the words", arguments: [
        ("552 5.2.2 Over quota", BounceCategory.retry, "mailbox_full"),
        ("550 5.1.1 Mailbox disabled", .suppress, "mailbox_disabled"),
        ("421 4.3.2 Service shutting down, try later", .retry, "server_busy"),
    ])
    func specificCodesKeep(text: String, category: BounceCategory, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == category)
        #expect(verdict.reason == reason)
    }

    @Test("the tokenizer skips numbers, statuses, addresses and host names, and splits at written line breaks")
    func tokenizer() {
        var text = "550 5.1.1 <a.b@example.net>: mx1.example.org User\\nUnknown"
        let classes: [WordClass.RawValue] = text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: 16) { buffer in
                let count = WordCues.tokenize(bytes, into: buffer)
                return Array(buffer[..<count])
            }
        }
        #expect(classes.map(WordClass.init(rawValue:)) == [.recipientNoun, .gone])
    }

    @Test("every vocabulary word has its own table entry with its classes")
    func vocabulary() {
        for (word, wordClass) in WordFamilies.vocabulary {
            var hash = WordFamilies.hashSeed
            for byte in word.utf8 { hash = WordFamilies.hashStep(hash, byte) }
            #expect(WordFamilies.table.classes(ofHash: hash).isSuperset(of: wordClass), "\(word)")
        }
        #expect(Set(WordFamilies.vocabulary.map(\.0)).count == WordFamilies.vocabulary.count)
    }
}
