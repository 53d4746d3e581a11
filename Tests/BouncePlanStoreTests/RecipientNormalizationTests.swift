import Testing

@testable import BouncePlanStore

/// `RecipientAddress.normalize` reads an ASCII field in place (pass 1) and anything else through a
/// string; both must give what the rules say, and the byte form what the string form gives.
@Suite("Recipient normalisation")
struct RecipientNormalizationTests {
    typealias Problem = RecipientAddress.Problem

    /// (raw field, the stored address or the problem).
    static let cases: [(String?, Result<String, Problem>)] = [
        ("user@example.com", .success("user@example.com")),
        ("  <Bob.Smith@Example.COM>\r\n", .success("bob.smith@example.com")),
        ("< bob@example.com >", .failure(.invalidCharacter)),
        ("<>", .failure(.missing)),
        ("   ", .failure(.missing)),
        (nil, .failure(.missing)),
        ("no-at-sign.example.com", .failure(.noAt)),
        ("@example.com", .failure(.emptyLocalPart)),
        ("a@b@example.com", .failure(.multipleAt)),
        ("\"a@b\"@Example.com", .success("\"a@b\"@example.com")),
        ("\"a b\"@example.com", .success("\"a b\"@example.com")),
        ("a b@example.com", .failure(.invalidCharacter)),
        ("a,b@example.com", .failure(.invalidCharacter)),
        ("a\u{7f}@example.com", .failure(.invalidCharacter)),
        (String(repeating: "x", count: 65) + "@example.com", .failure(.localPartTooLong)),
        (String(repeating: "x", count: 64) + "@example.com", .success(String(repeating: "x", count: 64) + "@example.com")),
        ("x@" + String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 189), .failure(.tooLong)),
        ("x@" + String(repeating: "a", count: 64) + ".com", .failure(.invalidDomain)),
        ("x@localhost", .failure(.invalidDomain)),
        ("x@-bad.example", .failure(.invalidDomain)),
        ("x@bad-.example", .failure(.invalidDomain)),
        ("x@a..example", .failure(.invalidDomain)),
        ("x@example.com.", .failure(.invalidDomain)),
        ("x@under_score.example", .failure(.invalidDomain)),
        ("X@[192.0.2.1]", .success("x@[192.0.2.1]")),
        ("x@[]", .failure(.invalidDomain)),
        ("Ünïcödé@Bücher.Example", .success("Ünïcödé@bücher.example")),
        ("x@b\u{00fc}cher.de", .success("x@b\u{00fc}cher.de")),
    ]

    @Test(arguments: cases)
    func rules(raw: String?, expected: Result<String, Problem>) {
        #expect(RecipientAddress.normalize(raw).map(\.address) == expected)
        #expect(Self.fromBytes(raw.map { Array($0.utf8) }).map(\.address) == expected)
        if case .success(let address) = RecipientAddress.normalize(raw) {
            #expect(address.domain == String(address.address[address.address.index(after: address.address.lastIndex(of: "@")!)...]))
        }
    }

    /// Invalid UTF-8: the byte form repairs it first, as `String(decoding:as:)` did before the rules ran,
    /// so the lengths the rules count are the repaired ones.
    @Test func invalidUTF8MeansTheRepairedText() {
        let samples: [[UInt8]] = [
            Array("ab".utf8) + [0xFF] + Array("@example.com".utf8),
            Array("x@exa".utf8) + [0xC3] + Array("mple.com".utf8),
            Array(repeating: UInt8(ascii: "a"), count: 62) + [0xFF] + Array("@example.com".utf8),
        ]
        for bytes in samples {
            let viaString = RecipientAddress.normalize(String(decoding: bytes, as: UTF8.self))
            #expect(Self.fromBytes(bytes) == viaString)
        }
        // 62 + one replacement character of three bytes: 65 bytes of local part.
        #expect(Self.fromBytes(samples[2]).map(\.address) == .failure(.localPartTooLong))
    }

    /// Random short fields of address-like and awkward bytes: the byte form agrees with the string form.
    @Test func bytesAgreeWithTheString() {
        let alphabet = Array("aZ09.-_@<> \t\",\"\u{7f}[]".utf8) + [0xC3, 0xBC, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59) + 1
            var bytes: [UInt8] = []
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            #expect(Self.fromBytes(bytes) == RecipientAddress.normalize(String(decoding: bytes, as: UTF8.self)))
        }
    }

    static func fromBytes(_ bytes: [UInt8]?) -> Result<RecipientAddress, Problem> {
        guard let bytes else { return RecipientAddress.normalize(bytes: nil) }
        return bytes.withUnsafeBytes { RecipientAddress.normalize(bytes: $0) }
    }
}
