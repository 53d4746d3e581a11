import BounceClassification
import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// Older gateways and MTAs in the layouts Sympa's bounce parser reads (Sympa::Tools::Bounce,
/// github.com/sympa-community/sympa): each short notice must give its recipient, the words that explain
/// it, and the verdict those words deserve. The notices are written for this test from those layouts.
@Suite struct LegacyLayoutTests {
    struct LegacyLayout: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var recipient: String
        var diagnostic: String
        var category: BounceCategory
        /// The reply code and enhanced status the layout carries, if any.
        var code: Int? = nil
        var status: String? = nil
        var testDescription: String { name }
    }

    static let layouts: [LegacyLayout] = [
        LegacyLayout(name: "CompuServe", body: "Receiver not found: bob.a@example.com", recipient: "bob.a@example.com", diagnostic: "Receiver not found: bob.a@example.com", category: .suppress),
        LegacyLayout(name: "QuickMail", body: "----- Special condition follows -----\nUnknown QuickMail recipient(s):\n  bob.b@example.com", recipient: "bob.b@example.com", diagnostic: "Unknown QuickMail recipient(s):", category: .suppress),
        LegacyLayout(name: "X.400 gateway", body: "Your message was not delivered to:\n  bob.d@example.com\nfor the following reason:\n  Unknown recipient", recipient: "bob.d@example.com", diagnostic: "for the following reason: Unknown recipient", category: .suppress),
        LegacyLayout(name: "IBM VM", body: "Your mail item could not be delivered to the following users:\n\nUnknown user            ----> bob.e@example.com", recipient: "bob.e@example.com", diagnostic: "Unknown user            ----> bob.e@example.com", category: .suppress),
        LegacyLayout(name: "smap", body: "   ----- Transcript of Report follows -----\nRejected-For: bob.f@example.com,\n\texplanation user unknown", recipient: "bob.f@example.com", diagnostic: "explanation user unknown", category: .suppress),
        LegacyLayout(name: "Mercury 1.43", body: "The local mail transport system has reported the following problems\nwith this message:\n\n   <bob.k@example.com>   *** Unknown user ***", recipient: "bob.k@example.com", diagnostic: "*** Unknown user ***", category: .suppress),
        LegacyLayout(name: "AltaVista Mail", body: "unable to deliver mail to the following recipient(s):\nbob.l@example.com:\n    via mx.example.com\n    550 User unknown", recipient: "bob.l@example.com", diagnostic: "550 User unknown", category: .suppress, code: 550),
        LegacyLayout(name: "SMTP32", body: "User mailbox exceeds allowed size: bob.m@example.com", recipient: "bob.m@example.com", diagnostic: "User mailbox exceeds allowed size: bob.m@example.com", category: .retry),
        LegacyLayout(name: "PMDF", body: "Your message cannot be delivered to the following recipients:\n\n  Recipient address: bob.w@example.com\n  Reason: Illegal host/domain name found", recipient: "bob.w@example.com", diagnostic: "Illegal host/domain name found", category: .suppress),
        LegacyLayout(name: "Wanadoo", body: "bob.x@example.com; Action: Failed; Status: 5.1.1 (User unknown)", recipient: "bob.x@example.com", diagnostic: "Action: Failed; Status: 5.1.1 (User unknown)", category: .suppress, status: "5.1.1"),
        LegacyLayout(name: "Session Transcription", body: "Session Transcription follow:\n<<< 550 User unknown for (bob.u@example.com)", recipient: "bob.u@example.com", diagnostic: "550 User unknown for (bob.u@example.com)", category: .suppress, code: 550),
        LegacyLayout(name: "Undeliverable reason block", body: "This Message was undeliverable due to the following reason:\n\n     Recipient: <bob.s@example.com>\n     Reason:    <bob.s@example.com>... User unknown", recipient: "bob.s@example.com", diagnostic: "<bob.s@example.com>... User unknown", category: .suppress),
        LegacyLayout(name: "Returned for reasons", body: "This message was returned to you for the following reasons:\n\n    Unknown user: bob.v@example.com", recipient: "bob.v@example.com", diagnostic: "Unknown user: bob.v@example.com", category: .suppress),
        LegacyLayout(name: "Message not delivered to the following", body: "---------Message not delivered to the following:\n\n          bob.g@example.com    Mailbox unknown", recipient: "bob.g@example.com", diagnostic: "Mailbox unknown", category: .suppress),
        LegacyLayout(name: "Error-For", body: "Error-For:  bob.r@example.com  user unknown", recipient: "bob.r@example.com", diagnostic: "user unknown", category: .suppress),
    ]

    static let classifier = Result { try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules") }

    @Test(arguments: layouts)
    func readsTheRecipientAndItsReason(_ layout: LegacyLayout) throws {
        let message = "From: MAILER-DAEMON@mx.example.net\nTo: news@sender.example\nSubject: Returned mail: see transcript\n\n\(layout.body)\n"
        let events = parseMessage(Array(message.utf8)).events
        #expect(events.map(\.recipient) == [layout.recipient])
        let event = try #require(events.first)
        #expect(event.diagnostic == layout.diagnostic)
        #expect(event.smtpCode == layout.code)
        #expect(event.enhancedStatus == layout.status)
        let verdict = try Self.classifier.get().classify(BounceResponse(
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic, recipientDomain: "example.com"))
        #expect(verdict.category == layout.category, "\(verdict)")
    }
}
