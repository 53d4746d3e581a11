import Foundation
import Testing

@testable import BounceIngest

/// Access to the message corpus in Messages/ and to scratch folders.
enum Fixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Messages"))
        return [UInt8](try Data(contentsOf: url))
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryFolder() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("bounceingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every message fixture directly in Messages/ (every format of the README's table, the damaged
    /// copies and the non-bounces), for the tests that must hold for all of them.
    static let allMessages: [String] = {
        guard let folder = Bundle.module.url(forResource: "Messages", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".eml") }.sorted()
    }()

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

extension MessageOutcome {
    var reason: String? {
        switch self {
        case .notABounce(let reason), .unreadable(let reason): reason
        default: nil
        }
    }
}
