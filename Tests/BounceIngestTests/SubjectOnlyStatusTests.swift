import BounceClassification
import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// A DSN whose `Status:` names only a subject (`5.1.0`, "other address status") over a remote reply with
/// its own detail: Cisco AsyncOS (IronPort) writes its bounce classification, `5.1.0 - Unknown address
/// error`, as the status and the remote `550 5.1.1 … User unknown` as the Diagnostic-Code (AsyncOS user
/// guide, bounce classification table). The reply's status of the same class and subject is the
/// recipient's; a reply about another subject leaves the report's own status alone.
@Suite struct SubjectOnlyStatusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: String
        var diagnosticCode: String
        var recipient: String
        var code: Int?
        var expectedStatus: String?
        var text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "IronPort, 5.1.0 over 550 5.1.1", status: "5.1.0", diagnosticCode: "smtp; 550 5.1.1 <hugo@example.net>... User unknown",
             recipient: "hugo@example.net", code: 550, expectedStatus: "5.1.1", text: "550 5.1.1 <hugo@example.net>... User unknown"),
        Case(name: "IronPort, 5.1.0 over a continuation 550-5.1.1", status: "5.1.0",
             diagnosticCode: "smtp; 550-5.1.1 The email account that you tried to reach does not exist.",
             recipient: "iris@example.net", code: 550, expectedStatus: "5.1.1", text: "550-5.1.1 The email account that you tried to reach does not exist."),
        Case(name: "5.2.0 over 552 5.2.2", status: "5.2.0", diagnosticCode: "smtp; 552 5.2.2 Mailbox full",
             recipient: "jon@example.net", code: 552, expectedStatus: "5.2.2", text: "552 5.2.2 Mailbox full"),
        Case(name: "5.1.0 over a reply about policy stays 5.1.0", status: "5.1.0", diagnosticCode: "smtp; 550 5.7.1 Message rejected",
             recipient: "kim@example.net", code: 550, expectedStatus: "5.1.0", text: "550 5.7.1 Message rejected"),
        Case(name: "5.0.0 over 550 5.7.1 (unchanged rule)", status: "5.0.0", diagnosticCode: "smtp; 550 5.7.1 Message rejected",
             recipient: "lea@example.net", code: 550, expectedStatus: "5.7.1", text: "550 5.7.1 Message rejected"),
        Case(name: "5.1.0 with a reply that gives no status", status: "5.1.0", diagnosticCode: "smtp; 550 No such user",
             recipient: "max@example.net", code: 550, expectedStatus: "5.1.0", text: "550 No such user"),
    ]

    @Test(arguments: cases)
    func theReplysOwnStatusOfTheSameSubjectWins(_ expected: Case) throws {
        let message = WrappedReplyFamilyTests.report(diagnosticCode: expected.diagnosticCode, status: expected.status, recipient: expected.recipient)
        let events = parseMessage(Array(message.utf8)).events
        #expect(events.map(\.recipient) == [expected.recipient])
        let event = try #require(events.first)
        #expect(event.kind == .bounce)
        #expect(event.smtpCode == expected.code)
        #expect(event.enhancedStatus == expected.expectedStatus)
        #expect(event.diagnostic == expected.text)
    }

    @Test func theMovedIronPortReportGivesTheRemoteReply() throws {
        let url = try #require(Bundle.module.url(
            forResource: "ironport_unknown_address_error.eml", withExtension: nil, subdirectory: "Messages/moved-from-blind"))
        let events = parseMessage([UInt8](try Data(contentsOf: url))).events
        #expect(events.map(\.recipient) == ["george@example.com"])
        let event = try #require(events.first)
        #expect(event.smtpCode == 550)
        #expect(event.enhancedStatus == "5.1.1")
        #expect(event.diagnostic == "550 5.1.1 <george@example.com>... User unknown")
        let verdict = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules").classify(BounceResponse(
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic, recipientDomain: "example.com"))
        #expect(verdict.category == .suppress, "\(verdict)")
    }
}
