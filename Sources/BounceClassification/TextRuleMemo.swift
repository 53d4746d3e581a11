@preconcurrency import Glibc

/// `Classifier.bestTextRule`'s recent answers for one stream, keyed by everything that answer reads:
/// the matched rule phrase bits, the reply code and the status (and whether a suppression may win). A
/// stream repeats a few hundred templates with different addresses and hosts, so most responses set
/// rule phrase bits seen before, and the candidate rules of their phrases (a dozen per response, each a
/// handful of bit tests) need not be walked again. Provider rules would read the recipient domain and
/// remote MTA too: the memo is only asked when a response has neither (a stream gives neither).
///
/// Direct-mapped: a slot holds one key in full (its non-zero rule phrase words with their indexes),
/// compared word for word on a hit, so an answer is only ever reused for identical inputs. Raw memory
/// without reference counting, so that `Facts` carries it by value; owned and freed by
/// `Classifier.BatchScratch`, used by one thread at a time.
struct TextRuleMemo {
    /// Slots; a power of two. The bench mix's 100k lines have some 20k distinct keys (addresses and host
    /// names match phrases too), and 4,096 slots lost a third of the hits to collisions. The memory is
    /// zero pages until a slot is written, so only the slots used count towards the resident size.
    static let slotCount = 32768
    /// Keys with more non-zero rule phrase words than this (long transcripts) are not remembered.
    static let maxWords = 12
    /// Per slot: tag (the key's hash, never 0; 0 marks an empty slot), header, answer, then up to
    /// `maxWords` pairs of (word index, word). After the last slot: the key being looked up.
    static let stride = 3 + 2 * maxWords
    private let slots: UnsafeMutablePointer<UInt64>

    static func allocate() -> TextRuleMemo {
        // calloc: a block this large is mapped fresh, its pages zero and untouched until written.
        guard let raw = calloc((slotCount + 1) * stride, MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
        return TextRuleMemo(slots: raw.bindMemory(to: UInt64.self, capacity: (slotCount + 1) * stride))
    }

    func deallocate() { free(slots) }

    /// Looks up the key of `matched` (the rule phrases `0 ..< rulePhraseCount` of a buffer whose summary
    /// starts at `phraseWords`), `code`, `status` and `allowSuppress`: the slot, and whether it holds that
    /// key (then `answer(at:)` is its answer, else `store` fills it after the search); nil when the key
    /// has too many words to remember.
    @inline(__always)
    func find(_ matched: UnsafeBufferPointer<UInt64>, rulePhraseCount: Int, phraseWords: Int, code: Int?,
              status: EnhancedStatus?, allowSuppress: Bool) -> (slot: Int, hit: Bool)? {
        let key = slots + TextRuleMemo.slotCount * TextRuleMemo.stride
        let ruleWords = (rulePhraseCount + 63) >> 6
        let lastMask: UInt64 = rulePhraseCount & 63 == 0 ? ~0 : (1 << UInt64(rulePhraseCount & 63)) &- 1
        let pairs = key + 3, pairsEnd = pairs + 2 * TextRuleMemo.maxWords
        var next = pairs
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        summaries: for summaryIndex in 0..<((ruleWords &+ 63) >> 6) {
            var marks = matched[phraseWords &+ summaryIndex]
            while marks != 0 {
                let word = summaryIndex << 6 | marks.trailingZeroBitCount
                if word >= ruleWords { break summaries }
                marks &= marks &- 1
                let value = word == ruleWords &- 1 ? matched[word] & lastMask : matched[word]
                if value == 0 { continue }
                if next == pairsEnd { return nil }
                next[0] = UInt64(word)
                next[1] = value
                next += 2
                hash = (hash ^ UInt64(word)) &* 0x0000_0100_0000_01B3
                hash = (hash ^ value) &* 0x9E37_79B9_7F4A_7C15
            }
        }
        let words = (next - pairs) >> 1
        let codeField = UInt64(code.map { $0 + 1 } ?? 0) & 0xFFFF
        let statusField = UInt64(status.map { $0.packed + 1 } ?? 0) & 0xFFFF_FFFF
        let header = codeField | statusField << 16 | (allowSuppress ? 1 << 48 : 0) | UInt64(words) << 56
        hash = (hash ^ header) &* 0x9E37_79B9_7F4A_7C15
        key[0] = hash | 1
        key[1] = header
        let slot = Int(truncatingIfNeeded: hash >> 40) & (TextRuleMemo.slotCount - 1)
        let stored = slots + slot * TextRuleMemo.stride
        guard stored[0] == key[0], stored[1] == header else { return (slot, false) }
        var index = 3
        while index < 3 &+ 2 &* words {
            if stored[index] != key[index] { return (slot, false) }
            index &+= 1
        }
        return (slot, true)
    }

    /// The remembered answer of a slot that `find` reported as a hit.
    @inline(__always)
    func answer(at slot: Int) -> (rule: Int, phrase: Int)? {
        let packed = slots[slot * TextRuleMemo.stride + 2]
        if packed == ~0 { return nil }
        return (Int(packed >> 32), Int(packed & 0xFFFF_FFFF))
    }

    /// Stores `answer` under the key of the last `find`, in the slot it returned (a miss).
    func store(_ answer: (rule: Int, phrase: Int)?, at slot: Int) {
        let key = slots + TextRuleMemo.slotCount * TextRuleMemo.stride
        let stored = slots + slot * TextRuleMemo.stride
        let words = Int(key[1] >> 56)
        stored.update(from: key, count: 3 + 2 * words)
        stored[2] = answer.map { UInt64($0.rule) << 32 | UInt64(UInt32($0.phrase)) } ?? ~0
    }
}
