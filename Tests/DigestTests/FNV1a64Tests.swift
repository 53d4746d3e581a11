import Digest
import Testing

@Suite("FNV-1a 64")
struct FNV1a64Tests {
    // Vectors from the FNV reference (Fowler, Noll, Vo: draft-eastlake-fnv, test suite for FNV-1a 64).
    @Test("matches the reference vectors", arguments: [
        ("", "cbf29ce484222325"),
        ("a", "af63dc4c8601ec8c"),
        ("foobar", "85944171f73967e8"),
    ])
    func referenceVectors(text: String, expected: String) {
        var hasher = FNV1a64()
        hasher.add(Array(text.utf8))
        #expect(hasher.hex == expected)
        #expect(FNV1a64.hash(text.utf8) == UInt64(expected, radix: 16))
    }

    @Test func addingInPiecesEqualsHashingAtOnce() {
        var hasher = FNV1a64()
        hasher.add(Array("foo".utf8))
        hasher.add("bar".utf8)
        var stepped = FNV1a64.offsetBasis
        for byte in "foobar".utf8 { stepped = FNV1a64.step(stepped, byte) }
        #expect(hasher.value == FNV1a64.hash("foobar".utf8))
        #expect(stepped == hasher.value)
    }
}
