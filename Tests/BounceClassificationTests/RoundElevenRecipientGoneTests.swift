@testable import BounceClassification
import Testing

/// Round 11 (helper rules-r11a, issue 12 pattern 6): an unexplained refusal verdict gives way to the recipient's
/// condition that the remote server states. Written from `Corpus/open/r11a-gone-a.tsv` (a provider's help page
/// quoting Exchange's "You do not have permission to send to this recipient" around "rejected: Inactive user");
/// the wordings below are variations of that structure.
@Suite("Round 11: the recipient's condition behind an unexplained refusal")
struct RoundElevenRecipientGoneTests {
    @Test("an unexplained refusal gives way to the recipient's condition the remote server states", arguments: [
        (text: "You do not have permission to send to this recipient. For assistance, contact your system administrator.\n< mx.example.com #5.7.1 smtp;554 5.7.1 rejected: Inactive user>",
         reason: "mailbox_disabled"),
        (text: "You do not have permission to send to this recipient.\n< mx.example.com #5.7.1 smtp;550 5.7.1 recipient mailbox is closed>",
         reason: "mailbox_disabled"),
    ])
    func conditionBehindRefusal(row: (text: String, reason: String)) {
        TestSupport.expectVerdict(text: row.text, .suppress, row.reason)
    }

    @Test("a 4xx keeps the condition's reason but retries")
    func temporaryCode() {
        let verdict = TestSupport.classifier.classify(BounceResponse(
            smtpCode: 450, diagnostic: "You do not have permission to send to this recipient.\n< mx.example.com #4.7.1 smtp;450 4.7.1 rejected: Inactive user>"))
        #expect(verdict.category == .retry)
        #expect(verdict.reason == "mailbox_disabled")
    }

    @Test("the refusal stands when its own words are the ones read, or when the remote words name us", arguments: [
        "553 sorry, this MTA is a closed user group system (#5.7.1)",
        "You do not have permission to send to this recipient.\n< mx.example.com #5.7.1 smtp;550 5.7.1 Client host rejected: user unknown; your IP is listed>",
        "550 5.7.1 Delivery not authorized, message refused",
    ])
    func refusalStands(text: String) {
        TestSupport.expectCategory(text: text, .sender)
    }

    @Test("the phrase a rule matched is found again in the text whatever its case and spacing")
    func occurrence() {
        let text = Array("xx You  do NOT\nhave permission".utf8)
        let range = text.withUnsafeBufferPointer { Classifier.occurrence(of: Array("you do not have permission".utf8), in: $0) }
        #expect(range == 3..<text.count)
        let missing = text.withUnsafeBufferPointer { Classifier.occurrence(of: Array("not authorized".utf8), in: $0) }
        #expect(missing == nil)
    }

    @Test("from batch B after its transfer figure: a full mailbox after Exim's 'A message that you sent' is not our sending quota")
    func fullMailboxAfterSent() {
        TestSupport.expectVerdict(text: "A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\nadam@example.net\nmailbox is full",
                                  .retry, "mailbox_full")
        TestSupport.expectCategory(text: "550 sending quota exceeded", .ratelimit)
    }
}
