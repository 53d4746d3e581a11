@testable import BounceClassification
import Foundation
import Testing

/// Every word class (and every role of the owner reading) has a bit of its own. The classes are declared as
/// `static var name: WordClass { WordClass(rawValue: 1 << n) }` (or as a `static let`); two declarations with one
/// `n` make a word of one class read as the other, as `per` and `domainWord` did on bit 56. The declarations are read from the source, so that a class
/// added later is checked without being listed anywhere else.
@Suite("Word class bits")
struct WordClassBitsTests {
    /// One option set's declarations: its name, the shift of each, and how many `static let` lines it has at all.
    private struct Declarations {
        var shifts: [(name: String, shift: Int)] = []
        var staticLets = 0
    }

    private static func declarations(of type: String, in file: String) throws -> Declarations {
        let path = TestSupport.packageRoot.appendingPathComponent("Sources/BounceClassification/\(file)").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains("struct \(type): OptionSet") }) else {
            Issue.record("no option set \(type) in \(file)")
            return Declarations()
        }
        let indent = lines[start].prefix(while: { $0 == " " }).count
        var found = Declarations()
        for line in lines[(start + 1)...] {
            // The struct ends at the closing brace at its own indentation.
            if line.hasPrefix(String(repeating: " ", count: indent) + "}") { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("static let ") || trimmed.hasPrefix("static var ") else { continue }
            found.staticLets += 1
            let stored = #/^static let (\w+) = \w+\(rawValue: 1 << (\d+)\)$/#
            let computed = #/^static var (\w+): \w+ \{ \w+\(rawValue: 1 << (\d+)\) \}$/#
            if let match = trimmed.firstMatch(of: stored) ?? trimmed.firstMatch(of: computed), let shift = Int(match.2) {
                found.shifts.append((String(match.1), shift))
            }
        }
        return found
    }

    @Test("each declared class has one bit of its own, within the storage", arguments: [
        ("WordClass", "WordFamilies.swift", WordClass.RawValue.bitWidth),
        ("Role", "WordCues+ListOwner.swift", OwnerWords.Role.RawValue.bitWidth),
    ])
    func distinctBits(type: String, file: String, bitWidth: Int) throws {
        let found = try Self.declarations(of: type, in: file)
        #expect(found.shifts.count > 10, "\(type): too few declarations read; has the declaration form changed?")
        // A declaration written another way (a hex literal, a union) would escape the check below.
        #expect(found.shifts.count == found.staticLets, "\(type): declare each class with `rawValue: 1 << n`")
        var owner: [Int: String] = [:]
        for (name, shift) in found.shifts {
            #expect(shift < bitWidth, "\(type).\(name): bit \(shift) is outside the \(bitWidth)-bit storage")
            if let other = owner[shift] {
                Issue.record("\(type).\(name) and \(type).\(other) share bit \(shift)")
            }
            owner[shift] = name
        }
    }

    private static func classes(of word: String) -> WordClass {
        var hash = WordFamilies.hashSeed
        for byte in word.utf8 { hash = WordFamilies.hashStep(hash, byte) }
        return WordFamilies.table.classes(ofHash: hash)
    }

    @Test("the words that shared bit 56 read as their own class only")
    func perIsNotDomain() {
        #expect(WordClass.per.isDisjoint(with: .domainWord))
        #expect(Self.classes(of: "per") == .per)
        #expect(!Self.classes(of: "domain").contains(.per))
        #expect(Self.classes(of: "domain").contains(.domainWord))
    }
}
