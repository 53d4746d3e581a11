@testable import BounceClassification
import Testing

/// Localised and oddly encoded text: two-byte upper-case letters, full-width forms, Exchange's quoted
/// reply and MIME encoded words reach the phrase matcher and the code readers as their plain forms.
@Suite("Text forms: case folding, full-width, encoded words")
struct TextFormsTests {
    @Test("two-byte letters match in either case, on both sides", arguments: [
        ("почтовый ящик не существует", "550 ПОЧТОВЫЙ ЯЩИК НЕ СУЩЕСТВУЕТ", true),
        ("ПОЧТОВЫЙ ЯЩИК", "550 почтовый ящик не существует", true),
        ("ёлка ѓ џ", "ЁЛКА Ѓ Џ", true),                                      // Ѐ–Џ fold to ѐ–џ (D0 → D1)
        ("рст", "РСТ", true),                                                   // Р–Я: D0 Ax → D1 8x
        ("boîte aux lettres inexistante", "BOÎTE AUX LETTRES INEXISTANTE", true),
        ("ÀÉÖØÞ", "àéöøþ", true),
        ("empfängeradresse", "EMPFÄNGERADRESSE existiert nicht", true),
        ("ĳssel ŀ ł ń ÿ ž", "ĲSSEL Ŀ Ł Ń Ÿ Ž", true),                            // Latin Extended-A pairs, Ÿ → ÿ (C5 → C3)
        ("γραμματοκιβώτιο δεν υπάρχει", "ΓΡΑΜΜΑΤΟΚΙΒώΤΙΟ ΔΕΝ ΥΠάΡΧΕΙ", true),   // Π–Ω: CE Ax → CF 8x
        ("×", "÷", false),                                                      // the multiplication sign is no letter
        ("ı", "I", true),                                                       // Turkish ı and İ fold to i (ALICI = alıcı)
        ("à", "À", true),
        ("почтовый", "ПОЧТОВЫЙ", true),
    ])
    func twoByteCase(phrase: String, text: String, expected: Bool) {
        #expect(TestSupport.phraseMatches(phrase, in: text) == expected, "\(phrase) in \(text)")
    }

    @Test("full-width forms match as ASCII, the ideographic space as a space", arguments: [
        ("user unknown", "５５０ ＵＳＥＲ　ＵＮＫＮＯＷＮ", true),
        ("no such user", "ｎｏ　　ｓｕｃｈ ｕｓｅｒ ｈｅｒｅ", true),
        ("mailbox full", "Ｍａｉｌｂｏｘ　Ｆｕｌｌ！", true),
        ("|dane|", "ＤＡＮＥ validation failed", true),
        ("|dane|", "ｂａｒｒａｃｕｄａｎｅｔｗｏｒｋｓ", false),
        ("user unknown", "ユーザー unknown", false),
    ])
    func fullWidth(phrase: String, text: String, expected: Bool) {
        #expect(TestSupport.phraseMatches(phrase, in: text) == expected, "\(phrase) in \(text)")
    }

    @Test("reply code and status read from full-width digits", arguments: [
        ("５５０ ５.１.１ ユーザーが存在しません", 550, "5.1.1"),
        ("５５２　５．２．２　Ｍａｉｌｂｏｘ ｆｕｌｌ", 552, "5.2.2"),
        ("原因: ４５１ ４.３.０ 一時的なエラー", 451, "4.3.0"),
    ])
    func fullWidthCodes(text: String, code: Int, status: String) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.replyCode(in: $0) } == code)
        #expect(copy.withUTF8 { ResponseParser.enhancedStatus(in: $0) }?.description == status)
    }

    @Test("Exchange's quoted reply gives its code", arguments: [
        ("Remote Server returned '452 4.2.2 mailbox full'", 452),
        ("Remote Server returned '452 text'", 452),
        ("Remote Server returned \"550 Requested action not taken: mailbox unavailable\"", 550),
        ("remote server RETURNED '421 Service not available'", 421),
        ("host mx.example.net[192.0.2.7] said: '550 No such user here'", 550),
    ])
    func exchangeQuote(text: String, expected: Int) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.replyCode(in: $0) } == expected)
    }

    @Test("quoted numbers in prose are no reply code", arguments: [
        "the value '500' is too large", "message size '512 KB' exceeds the limit", "he said '250 messages'",
        "returned 452 items", "it's 250 bytes", "Remote Server returned 'message 550 dropped'",
    ])
    func quotedProse(text: String) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.replyCode(in: $0) } == nil)
    }

    @Test("encoded words decode to UTF-8", arguments: [
        ("=?UTF-8?B?0L/QvtGH0YLQvtCy0YvQuSDRj9GJ0LjQuiDQvdC1INGB0YPRidC10YHRgtCy0YPQtdGC?=", "почтовый ящик не существует"),
        ("550 =?utf-8?q?bo=C3=AEte_aux_lettres_inexistante?= (bob)", "550 boîte aux lettres inexistante (bob)"),
        ("=?ISO-8859-1?Q?Empf=E4ngeradresse_existiert_nicht?=", "Empfängeradresse existiert nicht"),
        ("=?ISO-2022-JP?B?GyRCJWYhPCU2ITwkT0VQTz8kNSRsJEYkJCReJDskcxsoQg==?=", "ユーザーは登録されていません"),
        ("=?Shift_JIS?B?g4aBW4NVgVuCzZNvmF6Cs4LqgsSCooLcgrmC8Q==?=", "ユーザーは登録されていません"),
        ("x =?GB2312?B?uMPTw7unsru05tTa?= y", "x 该用户不存在 y"),
        ("=?KOI8-R?B?8M/e1M/X2cog0d3JyyDOxSDT1d3F09TX1cXU?=", "Почтовый ящик не существует"),
        // A character split across two words, and the whitespace between the words dropped.
        ("=?UTF-8?B?0Y3RgtA=?= =?UTF-8?B?vtGCINCw0LTRgNC10YEg0LHQvtC70YzRiNC1INC90LUg0L/RgNC40L3QuNC80LDQtdGCINC/0LjRgdC10Lw=?=",
         "этот адрес больше не принимает писем"),
        ("=?UTF-8*en?Q?no_such_user?=", "no such user"),
    ])
    func decodes(text: String, expected: String) throws {
        var copy = text
        let decoded = try #require(copy.withUTF8 { EncodedWords.decode($0) })
        #expect(String(decoding: decoded, as: UTF8.self) == expected)
    }

    @Test("text without a well-formed encoded word is left alone", arguments: [
        "550 5.1.1 user unknown", "a=?b", "=?UTF-8?B?!!!?=", "=?X-NO-SUCH-CHARSET?B?YWJj?=", "=?UTF-8?Z?abc?=",
        "=?UTF-8?Q?cut short", "=?UTF-8?Q?broken=ZZ?=", "=??B?YWJj?=",
    ])
    func leftAlone(text: String) {
        var copy = text
        #expect(copy.withUTF8 { EncodedWords.decode($0) } == nil)
    }

    @Test("the classifier reads localised text in any case, width or encoding", arguments: [
        ("ПОЧТОВЫЙ ЯЩИК НЕ СУЩЕСТВУЕТ", BounceCategory.suppress),
        ("BOÎTE AUX LETTRES INEXISTANTE", .suppress),
        ("550 5.1.1 =?UTF-8?B?0L/QvtGH0YLQvtCy0YvQuSDRj9GJ0LjQuiDQvdC1INGB0YPRidC10YHRgtCy0YPQtdGC?=", .suppress),
        ("550 =?ISO-2022-JP?B?GyRCJWYhPCU2ITwkT0VQTz8kNSRsJEYkJCReJDskcxsoQg==?=", .suppress),
        ("550 =?GB2312?B?uMPTw7unsru05tTa?=", .suppress),
        ("５５０ ＵＳＥＲ ＵＮＫＮＯＷＮ", .suppress),
        ("Remote Server returned '452 4.2.2 mailbox full'", .retry),
    ])
    func classifies(text: String, expected: BounceCategory) {
        let single = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(single.category == expected, "\(text) -> \(single.ruleID)")
        // The batch path (`classify --tsv`) decides the same.
        var copy = text
        copy.withUTF8 { bytes in
            let batch = [Classifier.RawResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: bytes),
                         Classifier.RawResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: bytes),
                         Classifier.RawResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: bytes)]
            batch.withUnsafeBufferPointer { batch in
                TestSupport.classifier.classify(batch) { #expect($0 == single) }
            }
        }
    }

    @Test("in a mixed batch, only the texts with encoded words are decoded, each into its own verdict")
    func mixedBatch() {
        let texts = [
            "250 2.0.0 OK queued as 4A2B",
            "550 =?GB2312?B?uMPTw7unsru05tTa?=",
            "452 4.2.2 Mailbox full",
            "=?KOI8-R?B?8M/e1M/X2cog0d3JyyDOxSDT1d3F09TX1cXU?=",
            "421 4.7.0 Try again later, closing connection. id=abc?x=1",
        ]
        let expected = texts.map { TestSupport.classifier.classify(BounceResponse(diagnostic: $0)) }
        #expect(expected[1].category == .suppress && expected[3].category == .suppress)
        #expect(expected[0].category != .suppress && expected[2].category != .suppress && expected[4].category != .suppress)
        // One buffer holds every text; each response is a slice of it.
        let joined = texts.flatMap { Array($0.utf8) }
        var ends: [Int] = []
        for text in texts { ends.append((ends.last ?? 0) + text.utf8.count) }
        var results: [Classification] = []
        joined.withUnsafeBufferPointer { joined in
            let batch = ends.indices.map { index in
                Classifier.RawResponse(smtpCode: nil, enhancedStatus: nil,
                                       diagnostic: UnsafeBufferPointer(rebasing: joined[(index == 0 ? 0 : ends[index - 1])..<ends[index]]))
            }
            batch.withUnsafeBufferPointer { batch in TestSupport.classifier.classify(batch) { results.append($0) } }
        }
        #expect(results == expected)
    }

    @Test("the 452 of Exchange's quoted reply makes a full mailbox a retry, not a suppression")
    func exchangeQuotedCodeIsTemporary() {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: "Remote Server returned '452 mailbox full'"))
        #expect(result.category != .suppress)
    }
}
