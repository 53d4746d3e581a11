import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// Damaged copies of the corpus: every outcome must be well-formed, and nothing may crash.
@Suite struct MutationTests {
    static let files = [
        "dsn_postfix.eml", "dsn_delayed_headers.eml", "exim.eml", "qmail.eml", "postfix_text.eml",
        "exchange_online.eml", "exchange_2010.eml", "gmail.eml", "yahoo.eml", "arf.eml",
        "dma.eml", "google_groups.eml", "amazon_workmail.eml", "sendmail_transcript.eml", "exchange_2003.eml",
        "exchange_did_not_reach.eml", "docomo.eml", "japan_isp.eml", "imail.eml", "zoho.eml", "gmx.eml", "mfilter.eml",
        "interscan.eml", "lotus_notes.eml", "mailmarshal.eml", "mailfoundry.eml", "activehunter.eml", "gmail_delay.eml",
        "opensmtpd.eml", "qmail_crlf.eml", "courier.eml", "jmrp.eml", "dsn_no_blank_lines.eml", "dsn_pipe_recipient.eml",
        "exim_pipe.eml", "exim_bare_pipe.eml", "exim_undisclosed.eml", "google_groups_returned.eml", "intermail.eml",
        "intermail_host_not_found.eml", "netscape_quota.eml", "mdaemon_warning.eml", "mdaemon_warning_dns.eml",
        "mdaemon_unknown_user.eml", "imsva_policy.eml", "imsva_quarantine.eml",
        "coremail_account_disabled.eml", "exmail_account_frozen_gbk.eml", "domino_no_route.eml", "exchange_2003_display_names.eml",
        "mailman_bounce_action.eml", "masqmail_de_two_recipients.eml", "masqmail_it_warning.eml", "xmail_max_attempts.eml",
        "postfix_old_three_recipients.eml", "exchange_2003_relay_denied.eml",
    ]

    @Test(arguments: files)
    func damagedMessagesGiveWellFormedOutcomes(_ file: String) throws {
        let original = try Fixtures.bytes(file)
        var random = SplitMix64(seed: UInt64(file.utf8.count) &* 7_919)
        let interesting: [UInt8] = Array("\r\n-:;<>=?\"\t ".utf8) + [0, 0xff, 0xc3]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = interesting.randomElement(using: &random)!
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(interesting.randomElement(using: &random)!, at: position)
                default: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...200, using: &random)))
                }
            }
            switch parseMessage(bytes) {
            case .events(let events):
                #expect(!events.isEmpty)
                for event in events {
                    #expect(!event.recipient.isEmpty && event.sourceKey.count == 32)
                    #expect(event.smtpCode.map { (200...599).contains($0) } ?? true)
                }
            case .notABounce(let reason), .unreadable(let reason): #expect(!reason.isEmpty)
            case .autoReply: break
            }
        }
    }
}
