import Testing

@testable import BounceIngest

/// `ReplyText.leadingCode` reads bytes, and Unicode whitespace before the code reads the same as ASCII.
@Suite("Reply text: the leading reply code")
struct ReplyTextTests {
    static let cases: [(text: String, code: Int?)] = [
        ("550 5.1.1 <a@example.com>: Recipient address rejected", 550), ("  550-5.1.1 The email account", 550),
        ("#550 5.2.2 full", 550), ("'421 4.7.0 Try again'", 421), ("\"452 too many\"", 452), ("250 2.0.0 OK", 250),
        ("354 go ahead", nil), ("5501 not a code", nil), ("550", 550), ("550:5.7.1 refused", 550),
        ("550\tTab", 550), ("550\r\n", nil), ("\t\r\n 554 no", 554), ("199 low", nil), ("600 high", nil),
        ("delivery failed 5.4.7", nil), ("", nil), ("   ", nil), ("smtp;550 5.1.1", nil), ("55", nil),
        ("\u{00A0}550 5.1.1 after a no-break space", 550), ("\u{2003}\u{00A0}#421 em space", 421),
        ("\u{00A0}é550", nil), ("５５０ full-width digits", nil), ("550é", nil),
    ]

    @Test(arguments: cases) func readsTheLeadingCode(_ example: (text: String, code: Int?)) {
        #expect(ReplyText.leadingCode(example.text) == example.code)
        #expect(ReplyText.leadingCode(Substring("x" + example.text).dropFirst()) == example.code)
    }
}
