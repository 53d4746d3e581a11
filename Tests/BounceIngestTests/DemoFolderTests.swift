import Foundation
import Testing

@testable import BounceIngest

/// The samples `make demo` feeds to the ingest command must keep parsing as intended.
@Suite struct DemoFolderTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Demo/bounces").path

    @Test func everyDemoMessageHasTheIntendedOutcome() {
        var found: [String: String] = [:]
        ingestMessages(from: MessageSource(paths: [Self.folder])) { origin, outcome in
            let name = (origin as NSString).lastPathComponent
            switch outcome {
            case .events(let events):
                found[name] = events.map { "\($0.kind.rawValue) \($0.recipient) \($0.smtpCode.map(String.init) ?? "-") \($0.enhancedStatus ?? "-")" }
                    .joined(separator: ";")
            case .autoReply: found[name] = "auto-reply"
            case .notABounce(let reason), .unreadable(let reason): found[name] = "problem: \(reason)"
            }
        }
        #expect(found == [
            "01-postfix-dsn-user-unknown.eml": "bounce alice@example.net 550 5.1.1",
            "02-dsn-blocklisted-sender.eml": "bounce bruno@example.org 554 5.7.1",
            "03-exim-mailbox-full.eml": "bounce chloe@example.com 552 5.2.2",
            "04-gmail-rate-limited.eml": "deferral dan@example.com 421 4.7.28",
            "05-qmail-no-such-user.eml": "bounce eve@example.org - 5.1.1",
            "06-exchange-dmarc.eml": "bounce fiona@example.net 550 5.7.509",
            "07-arf-complaint.eml": "complaint gustav@example.com - -",
            "08-out-of-office.eml": "auto-reply",
        ])
    }
}
