/// Finds a waiting time stated in a throttling reply: "try again in an hour", "try again later in
/// 15 minutes", "retry in 300 seconds", "try again after 24 hours", "please wait 10 min".
///
/// Plain byte scanning, no `Regex` (measured 1000× slower on this machine) and no allocation: the
/// text is read as runs of ASCII letters and runs of digits ("15min" gives "15", "min"), and a
/// quantity followed by a unit is accepted when introduced by "in", "after", "for" or "wait" and
/// preceded within six words by a retry word (try, retry, again, wait, later, resume, blocked,
/// deferred, limited, throttled). The retry word guards against "message expired after 24 hours",
/// which is not a hold.
public enum HoldParser {
    /// Longest hold believed from a text (a week); anything longer is more likely a misreading.
    public static let longestBelievable: Duration = .seconds(7 * 86_400)

    /// The stated hold, or nil when the text states none.
    public static func hold(in text: String) -> Duration? {
        var scanner = Scanner()
        var found: Duration?
        Tokenizer.forEachWord(in: text) { word in
            found = scanner.feed(word)
            return found == nil
        }
        return found
    }

    /// The state between words: where the last retry word was, and what the last words promised.
    private struct Scanner {
        var index = 0
        var lastRetryWord = -100
        var introducerAt = -100
        var quantityAt = -100
        var quantity: Int64 = 0

        /// The hold, once a quantity and its unit complete an introduced phrase.
        mutating func feed(_ word: Word) -> Duration? {
            defer { index += 1 }
            if quantityAt == index - 1, let unit = word.unitSeconds {
                let seconds = quantity * unit
                if seconds <= HoldParser.longestBelievable.components.seconds { return .seconds(seconds) }
            }
            if introducerAt == index - 1, let count = word.count, count > 0 {
                quantity = count
                quantityAt = index
            }
            if word.isRetryWord { lastRetryWord = index }
            if word.isIntroducer, index - lastRetryWord <= 6 { introducerAt = index }
            return nil
        }
    }

    /// A word packed into an integer: up to 8 lower-case letters, or a number.
    fileprivate struct Word {
        /// The first 8 letters, big-endian, zero-padded; 0 for a number.
        var letters: UInt64
        /// Letters in the word (may exceed 8).
        var length: Int
        /// The value of a run of up to 9 digits; nil for letters or longer numbers.
        var number: Int64?

        var count: Int64? {
            if let number { return number }
            switch (letters, length) {
            case (Packed.a, 1), (Packed.an, 2), (Packed.one, 3): return 1
            case (Packed.two, 3): return 2
            default: return nil
            }
        }

        var unitSeconds: Int64? {
            guard number == nil, let unit = Packed.units[letters], unit.length == length else { return nil }
            return unit.seconds
        }

        var isRetryWord: Bool { number == nil && Packed.retryWords[letters] == length }
        var isIntroducer: Bool { number == nil && Packed.introducers[letters] == length }
    }

    /// Packed spellings of the vocabulary, computed once.
    private enum Packed {
        static let a = pack("a"), an = pack("an"), one = pack("one"), two = pack("two")
        static let introducers = table(["in", "after", "for", "wait"])
        static let retryWords = table(["try", "retry", "again", "wait", "later", "resume", "blocked", "deferred", "limited", "throttled"])
        static let units: [UInt64: (length: Int, seconds: Int64)] = {
            var units: [UInt64: (length: Int, seconds: Int64)] = [:]
            for (names, seconds) in [
                (["s", "sec", "secs", "second", "seconds"], Int64(1)),
                (["m", "min", "mins", "minute", "minutes"], 60),
                (["h", "hr", "hrs", "hour", "hours"], 3600),
                (["d", "day", "days"], 86_400),
            ] {
                for name in names { units[pack(name)] = (name.utf8.count, seconds) }
            }
            return units
        }()

        static func table(_ words: [String]) -> [UInt64: Int] {
            Dictionary(words.map { (pack($0), $0.utf8.count) }, uniquingKeysWith: { first, _ in first })
        }

        static func pack(_ word: String) -> UInt64 {
            var packed: UInt64 = 0
            for (position, byte) in word.utf8.prefix(8).enumerated() { packed |= UInt64(byte) << UInt64(56 - 8 * position) }
            return packed
        }
    }

    /// Splits text into lower-cased runs of ASCII letters and runs of digits.
    private enum Tokenizer {
        /// Calls `body` for each word until it returns false.
        static func forEachWord(in text: String, _ body: (Word) -> Bool) {
            var letters: UInt64 = 0, length = 0
            var number: Int64 = 0, digits = 0
            var stopped = false
            func flush() {
                guard !stopped else { return }
                if length > 0 { stopped = !body(Word(letters: letters, length: length, number: nil)) }
                if digits > 0 { stopped = !body(Word(letters: 0, length: 0, number: digits <= 9 ? number : nil)) }
                letters = 0; length = 0; number = 0; digits = 0
            }
            for var byte in text.utf8 {
                if stopped { return }
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
                    if digits > 0 { flush() }
                    if length < 8 { letters |= UInt64(byte) << UInt64(56 - 8 * length) }
                    length += 1
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    if length > 0 { flush() }
                    if digits < 10 { number = number * 10 + Int64(byte - UInt8(ascii: "0")) }
                    digits += 1
                } else {
                    flush()
                }
            }
            flush()
        }
    }
}
