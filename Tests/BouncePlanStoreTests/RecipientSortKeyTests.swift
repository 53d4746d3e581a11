@testable import BouncePlanStore
import Testing

/// The recipient pass orders by `RecipientSortKey` first and the recipient second, which must be the order
/// by recipient alone: a key that ever put a larger recipient first would split a recipient's rows or write
/// the plan rows out of key order.
@Suite("The recipient sort key keeps the recipients' byte order")
struct RecipientSortKeyTests {
    @Test("a rank never decreases as the byte grows, and stays within six bits above the padding")
    func ranksAreMonotone() {
        let ranks = (0...255).map { RecipientSortKey.rank(UInt8($0)) }
        #expect(zip(ranks, ranks.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(ranks.allSatisfy { (1..<64).contains($0) })
        // The bytes addresses are made of each have a rank of their own.
        let common = Array("+-.0123456789@_abcdefghijklmnopqrstuvwxyz".utf8)
        #expect(Set(common.map(RecipientSortKey.rank)).count == common.count)
    }

    @Test("bytewise order implies key order, on random addresses with shared prefixes and rare bytes")
    func orderIsKept() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("user0123456789.-_+@exampl".utf8) + [0x01, 0x2f, 0x3a, 0x41, 0x60, 0x7b, 0x7f, 0x80, 0xc3, 0xff]
        let recipients = (0..<20_000).map { _ -> [UInt8] in
            let length = Int.random(in: 0...16, using: &random)
            let prefix = Array("user12".utf8).prefix(Int.random(in: 0...6, using: &random))
            return prefix + (0..<length).map { _ in alphabet.randomElement(using: &random)! }
        }
        let sorted = recipients.sorted { $0.lexicographicallyPrecedes($1) }
        let keys = sorted.map { RecipientSortKey.of($0) }
        #expect(keys.allSatisfy { $0 >= 0 })
        let firstWrong = keys.indices.dropLast().first { keys[$0] > keys[$0 + 1] }
        #expect(firstWrong == nil, "\(firstWrong.map { "\(sorted[$0]) before \(sorted[$0 + 1])" } ?? "")")
    }

    /// Two different bytes of one shared rank, each followed by bytes in the other order: the key must end
    /// at the shared rank (found by the test above when it did not).
    @Test("bytes of a shared rank end the key")
    func sharedRankEndsTheKey() {
        let smaller: [UInt8] = [1, 43, 128, 123, 49], larger: [UInt8] = [1, 43, 195, 56]
        #expect(RecipientSortKey.of(smaller) <= RecipientSortKey.of(larger))
    }

    @Test("ten leading bytes tell apart what eight do not", arguments: [
        ("user1234560@a", "user1234570@a"), ("a", "a."), ("", "a"), ("user123456@x", "user12345@x"),
    ])
    func distinguishesLongerPrefixes(smaller: String, larger: String) {
        #expect(RecipientSortKey.of(smaller.utf8) < RecipientSortKey.of(larger.utf8))
    }
}
