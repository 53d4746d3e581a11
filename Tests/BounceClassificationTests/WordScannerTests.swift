@testable import BounceClassification
import Testing

/// The one tokenizer of the word families and the owner reading (`WordScanner`): the same words for both, and the
/// two options only the owner reading asks for.
@Suite("Word scanner: one tokenizer, two readers")
struct WordScannerTests {
    private static func tokens(_ text: String, owner: Bool) -> [WordClass.RawValue] {
        var text = text
        return text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: 64) { buffer in
                let count = owner ? OwnerWords.tokenize(bytes, into: buffer) : WordCues.tokenize(bytes, into: buffer)
                return Array(buffer[..<count])
            }
        }
    }

    private static let separator = OwnerWords.Role.separator.rawValue

    @Test("both readers cut a text into the same words, whatever the script or the joining", arguments: [
        ("Empfänger unbekannt", 2), ("ПОЛУЧАТЕЛЬ неизвестен", 2), ("l’indirizzo", 1), ("no_such_user", 3),
        ("ConnectionTerminated SMTPSEND", 3), ("user 5.1.1 <a.b@example.net> mx1.example.org unknown", 2),
        ("User\\nUnknown", 2), ("jörg@exämple.de user", 1), ("recipient’s", 1),
    ])
    func sameWords(text: String, words: Int) {
        #expect(Self.tokens(text, owner: false).count == words, "\(text)")
        #expect(Self.tokens(text, owner: true).filter { $0 != Self.separator }.count == words, "\(text)")
    }

    @Test("the owner reading gets one separator at each clause end between words; the families get none")
    func clauseSeparators() {
        let owner = Self.tokens("Recipient rejected: your message", owner: true)
        #expect(owner.count == 5)
        #expect(owner[2] == Self.separator)
        #expect(Self.tokens("Recipient rejected: your message", owner: false).count == 4)
        // Not before the first word, once for a run of punctuation, and for a line break written as `\n`.
        #expect(Self.tokens("[, ] user :; ( blocked", owner: true).count == 3)
        #expect(Self.tokens("user\\nblocked", owner: true) == [Self.tokens("user", owner: true)[0], Self.separator,
                                                              Self.tokens("blocked", owner: true)[0]])
        // A dot inside a host name is no clause end; one that ends a sentence is.
        #expect(Self.tokens("mx.example.org user", owner: true).count == 1)
        #expect(Self.tokens("user. blocked", owner: true).count == 3)
    }

    @Test("only the owner reading keeps the apostrophe of a plural possessive", arguments: ["recipients' list", "recipients’ list"])
    func pluralPossessive(text: String) {
        let owner = Self.tokens(text, owner: true).map(OwnerWords.Role.init(rawValue:))
        #expect(owner.count == 2)
        #expect(owner.first?.contains(.person) == true, "\(text): \"recipients'\" is a person")
        let families = Self.tokens(text, owner: false).map(WordClass.init(rawValue:))
        #expect(families.first?.contains(.recipientsWord) == true, "\(text): the families read \"recipients\"")
    }

    @Test("the owner reading now reads names in snake and camel case as words", arguments: [
        "blocked_by_recipient", "BlockedByRecipient",
    ])
    func ownerReadsJoinedNames(text: String) {
        let roles = Self.tokens(text, owner: true).map(OwnerWords.Role.init(rawValue:))
        #expect(roles.count == 3)
        #expect(roles.last?.contains(.person) == true)
    }
}
