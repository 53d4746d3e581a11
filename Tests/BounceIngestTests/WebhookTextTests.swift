import Testing

@testable import BounceIngest

/// The byte-level helpers of the webhook path agree with the mail parsers' `ReplyText` on ASCII text.
@Suite("Webhook text helpers")
struct WebhookTextTests {
    static let texts = [
        "550 5.1.1 <a@example.com>: Recipient address rejected", "  550-5.1.1 The email account", "#550 5.2.2 full",
        "'421 4.7.0 Try again'", "250 2.0.0 OK", "354 go ahead", "5501 not a code", "550", "550:5.7.1 refused",
        "delivery failed 5.4.7 expired", "version 5.1.10 here", "1.5.1.1", "5.1.1.2 no", "status 4.4.1.", "x5.1.1",
        "5.1234.1", "4.7.28 rate", "", "   ", "no codes at all", "550 5.7.1\tTab", "smtp;550 5.1.1",
    ]

    @Test(arguments: texts) func agreesWithReplyText(_ text: String) {
        #expect(WebhookText.enhancedStatus(in: text) == ReplyText.enhancedStatus(in: text))
    }

    @Test(arguments: ["smtp; 550 5.1.1 x", "X-Postfix; host said", "no type here", "has space; kept", ";starts", "  smtp;  550  "])
    func untypedAgreesWithTheDSNReader(_ text: String) {
        #expect(WebhookText.untyped(text) == DeliveryStatusEvents.untyped(text))
    }

    @Test(arguments: ["<a@example.com>", " a@example.com ", "<a@example.com", "a@example.com>", "< a@example.com >", ""])
    func stripAnglesAgreesWithAddressText(_ text: String) {
        #expect(WebhookText.stripAngles(text) == AddressText.stripAngles(text))
    }
}
