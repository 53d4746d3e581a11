import Foundation
import Testing

@testable import BounceIngest

@Suite struct DecodingTests {
    @Test(arguments: [
        ("=?UTF-8?Q?Abwesenheitsnotiz:_Herbst?= =?UTF-8?B?LUFuZ2Vib3Q=?=", "Abwesenheitsnotiz: Herbst-Angebot"),
        ("=?ISO-8859-1?Q?R=E9ponse_automatique?=", "Réponse automatique"),
        ("Re: =?utf-8?b?w4RuZGVydW5n?= done", "Re: Änderung done"),
        ("plain =?broken", "plain =?broken"),
    ])
    func encodedWords(_ input: String, _ expected: String) {
        #expect(EncodedWords.decode(input) == expected)
    }

    @Test func quotedPrintableAndBase64() {
        #expect(TransferDecoding.quotedPrintable(Array("caf=C3=A9 soft=\nbreak =ZZ".utf8)[...]) == Array("café softbreak =ZZ".utf8))
        #expect(TransferDecoding.base64(Array("SGVs\nbG8g d29y bGQ=".utf8)[...]) == Array("Hello world".utf8))
    }

    @Test func headersUnfoldAndLookUpCaseInsensitively() {
        let (fields, bodyStart) = HeaderParser.parse(Array("Subject: one\n two\nx-campaign-id: c1\n\nbody".utf8)[...])
        #expect(fields["subject"] == "one two")
        #expect(fields["X-Campaign-ID"] == "c1")
        #expect(bodyStart == 37)
    }

    @Test func contentTypeParameters() {
        let type = MediaType.parse("Multipart/Report; report-type=\"delivery-status\";\tboundary=\"a;b\\\"c\"")
        #expect(type.essence == "multipart/report")
        #expect(type.parameters["boundary"] == "a;b\"c")
        #expect(type.parameters["report-type"] == "delivery-status")
    }

    @Test(arguments: [
        ("Sat, 28 Nov 2026 03:12:45 +0000 (UTC)", 1_795_835_565.0),
        ("28 Nov 2026 04:12:45 +0100", 1_795_835_565.0),
        ("Fri, 27 Nov 2026 22:12:45 EST", 1_795_835_565.0),
        ("Sat Nov 28 03:12:45 2026", 1_795_835_565.0),
        ("2026-11-28T03:12:45Z", 1_795_835_565.0),
    ])
    func mailDates(_ text: String, _ epoch: Double) {
        #expect(MailDate.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test func unparseableDateIsNil() {
        #expect(MailDate.parse("yesterday") == nil)
    }

    @Test(arguments: [
        ("550 5.1.1 User unknown", 550, "5.1.1"),
        ("554: delivery error", 554, nil),
        ("550-5.1.1 The email account", 550, "5.1.1"),
        ("Connection timed out", nil, nil),
        ("421 4.7.28 rate limited", 421, "4.7.28"),
        ("Host 203.0.113.5 said no", nil, nil),
    ] as [(String, Int?, String?)])
    func replyCodes(_ text: String, _ code: Int?, _ status: String?) {
        #expect(ReplyText.leadingCode(text) == code)
        #expect(ReplyText.enhancedStatus(in: text) == status)
    }
}
