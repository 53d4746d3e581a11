import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// Damaged copies of the corpus: every outcome must be well-formed, and nothing may crash.
@Suite struct MutationTests {
    @Test(arguments: Fixtures.allMessages)
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
                    #expect(event.sourceKey.count == 32)
                    #expect((try? RecipientAddress.validate(event.recipient).get()) == event.recipient, "\(file): \(event.recipient)")
                    #expect(event.smtpCode.map { (200...599).contains($0) } ?? true)
                }
            case .notABounce(let reason), .unreadable(let reason): #expect(!reason.isEmpty)
            case .autoReply: break
            }
        }
    }
}
