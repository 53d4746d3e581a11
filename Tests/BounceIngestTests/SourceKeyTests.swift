@testable import BounceIngest
import Testing

/// Idempotency keys already stored depend on the exact text hashed: these values were computed with
/// `sha256sum` over `basis\nrecipient\nkind\nstatus\ncode` and must never change.
@Suite("Ingest source keys")
struct SourceKeyTests {
    @Test(arguments: [
        ("sendgrid:sg-1", "bob@example.com", EventKind.bounce, nil as String?, nil as Int?, "37ca56f25277f1423297ee484300e152"),
        ("sendgrid:sg-1", "Bob@Example.COM", .bounce, nil, nil, "37ca56f25277f1423297ee484300e152"),
        ("mbox:<m1@example.net>", "bob@example.com", .deferral, "4.7.1", 451, "8eb4b05421b38bd2c63ad1fe248b039e"),
        ("ses:f-1", "ZOË@EXÄMPLE.ORG", .complaint, nil, nil, "5257194764f2b5342de70a2133a8f0b7"),
    ])
    func keysAreTheFirstHalfOfTheDigest(basis: String, recipient: String, kind: EventKind, status: String?, code: Int?, key: String) {
        #expect(SourceKey.make(basis: basis, recipient: recipient, kind: kind, status: status, code: code) == key)
    }
}
