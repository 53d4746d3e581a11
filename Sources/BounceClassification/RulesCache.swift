@preconcurrency import Glibc
import Digest
import Foundation

/// The parsed rule definitions of a rules folder, kept in a binary file so that the next process with
/// the same rule files skips the YAML parse (more than half of `classify --tsv`'s start-up).
///
/// A cache file is named and checked by a key over everything the definitions follow from: each rule
/// file's path, kind and every byte, and the program itself (its size, modification time and inode, so
/// a rebuilt program never reads definitions parsed by an older parser). The key is two independent
/// 64-bit hashes and the byte count; the file also carries them and a checksum of its contents, and
/// anything that does not read back exactly (another key, a short or damaged file) is ignored and the
/// files are parsed again. Writing
/// goes to a temporary file renamed into place, so a reader never sees half a file; a cache folder that
/// cannot be written only costs the saving. Files of other keys not written for a week are removed.
struct RulesCache {
    let directory: String
    private static let magic: UInt32 = 0x4352_5042  // "BPRC"
    private static let formatVersion: UInt32 = 1

    /// The cache key of one load: the rule files (path, user or default, bytes) in load order.
    struct Key: Equatable {
        fileprivate var first = FNV1a64()
        fileprivate var second: UInt64 = 0x243f_6a88_85a3_08d3
        fileprivate var byteCount: UInt64 = 0

        /// Nil when the program's own file cannot be identified: nothing is cached then.
        init?() {
            add(UInt64(RulesCache.formatVersion))
            guard Key.addIdentity(of: "/proc/self/exe", to: &self) else { return nil }
            // Under valgrind `/proc/self/exe` is valgrind's own program, which a rebuild does not change;
            // the program named by the command line (when it names a file) counts too.
            if let program = CommandLine.arguments.first, program.contains("/"), !Key.addIdentity(of: program, to: &self) {
                add(0)
            }
        }

        private static func addIdentity(of path: String, to key: inout Key) -> Bool {
            var info = stat()
            guard stat(path, &info) == 0 else { return false }
            for number in [UInt64(info.st_size), UInt64(bitPattern: Int64(info.st_mtim.tv_sec)), UInt64(info.st_mtim.tv_nsec),
                           UInt64(info.st_ino), UInt64(info.st_dev)] {
                key.add(number)
            }
            return true
        }

        mutating func add(file path: String, isUserRule: Bool, bytes: [UInt8]) {
            add(UInt64(path.utf8.count))
            add(Array(path.utf8))
            add(isUserRule ? 1 : 0)
            add(UInt64(bytes.count))
            add(bytes)
        }

        fileprivate mutating func add(_ number: UInt64) {
            withUnsafeBytes(of: number.littleEndian) { add(Array($0)) }
        }

        private mutating func add(_ bytes: [UInt8]) {
            var first = self.first.value, second = self.second
            for byte in bytes {
                first = FNV1a64.step(first, byte)
                second = ((second << 7 | second >> 57) ^ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
            }
            self.first.value = first
            self.second = second
            byteCount &+= UInt64(bytes.count)
        }

        var fileName: String {
            "rules-" + first.hex + ".bin"
        }

        var automatonFileName: String {
            "automaton-" + first.hex + ".bin"
        }
    }

    /// The definitions cached under `key`, or nil when there are none that read back whole.
    func read(_ key: Key) -> [RuleDefinition]? {
        readFile(key.fileName, magic: RulesCache.magic, key: key) { reader -> [RuleDefinition]? in
            guard let count = reader.count() else { return nil }
            var rules: [RuleDefinition] = []
            rules.reserveCapacity(count)
            for _ in 0..<count {
                guard let rule = reader.rule() else { return nil }
                rules.append(rule)
            }
            guard reader.u32() == RulesCache.magic, reader.atEnd else { return nil }
            return rules
        }
    }

    /// Stores `rules` under `key`; failures are ignored (the cache only saves time).
    func write(_ rules: [RuleDefinition], key: Key) {
        writeFile(key.fileName, magic: RulesCache.magic, key: key) { writer in
            writer.u64(UInt64(rules.count))
            for rule in rules { writer.rule(rule) }
            writer.u32(RulesCache.magic)
        }
        removeStale(keeping: key.fileName)
    }

    /// The automaton bytes (`PhraseAutomaton.encoded`) cached under `key`, or nil when there are none
    /// that read back whole. A file of its own beside the definitions, written once the rules are built.
    func readAutomaton(_ key: Key) -> [UInt8]? {
        readFile(key.automatonFileName, magic: RulesCache.automatonMagic, key: key) { reader in reader.rest() }
    }

    /// Stores automaton bytes under `key`; failures are ignored.
    func writeAutomaton(_ bytes: [UInt8], key: Key) {
        writeFile(key.automatonFileName, magic: RulesCache.automatonMagic, key: key) { writer in writer.bytes += bytes }
    }

    /// A cache file's body, read by `body` once the checksum and the header (magic, version, the key's three
    /// numbers) match; nil when the file is missing or anything does not.
    private func readFile<Value>(_ name: String, magic: UInt32, key: Key, body: (inout Reader) -> Value?) -> Value? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return data.withUnsafeBytes { raw -> Value? in
            guard raw.count >= 8 + RulesCache.headerSize,
                  UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
                    == RulesCache.checksum(UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 8)])) else { return nil }
            var reader = Reader(bytes: UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 8)]))
            guard reader.u32() == magic, reader.u32() == RulesCache.formatVersion,
                  reader.u64() == key.first.value, reader.u64() == key.second, reader.u64() == key.byteCount else { return nil }
            return body(&reader)
        }
    }

    /// Writes a cache file: the header, `body`'s bytes, the checksum; through a temporary file and a rename,
    /// so that a reader never sees half a file.
    private func writeFile(_ name: String, magic: UInt32, key: Key, body: (inout Writer) -> Void) {
        var writer = Writer()
        writer.u32(magic)
        writer.u32(RulesCache.formatVersion)
        writer.u64(key.first.value)
        writer.u64(key.second)
        writer.u64(key.byteCount)
        body(&writer)
        writer.u64(writer.bytes.withUnsafeBytes { RulesCache.checksum($0) })
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = directory + "/.\(name).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(writer.bytes)) else { return }
        if rename(temporary, directory + "/" + name) != 0 { unlink(temporary) }
    }

    private static let automatonMagic: UInt32 = 0x4341_5042  // "BPAC"

    /// Every rebuild of the program or change of a rule file leaves a file behind: the ones not written
    /// for a week go (a set still in use is only written again by its next load).
    private func removeStale(keeping name: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let limit = time(nil) - 7 * 86_400
        for other in names where other != name && (other.hasPrefix("rules-") || other.hasPrefix("automaton-")) && other.hasSuffix(".bin") {
            var info = stat()
            if stat(directory + "/" + other, &info) == 0, info.st_mtim.tv_sec < limit { unlink(directory + "/" + other) }
        }
    }

    /// Magic, version, the key's three numbers.
    private static let headerSize = 4 + 4 + 8 + 8 + 8

    /// FNV-1a of the file's bytes before the checksum: a flipped byte in a string would otherwise read
    /// back as a valid, wrong phrase.
    private static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        FNV1a64.hash(bytes)
    }

    /// The cache folder `classify` uses: `BOUNCEPLAN_CACHE_DIR` (empty: no cache), else
    /// `$XDG_CACHE_HOME/bounceplan`, else `~/.cache/bounceplan`; nil when none can be named.
    static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["BOUNCEPLAN_CACHE_DIR"] { return explicit.isEmpty ? nil : explicit }
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/bounceplan" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/bounceplan" }
        return nil
    }
}

/// Little-endian numbers, counted arrays and length-prefixed UTF-8 strings.
private struct Writer {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func int(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }
    mutating func optionalInt(_ value: Int?) {
        bytes.append(value == nil ? 0 : 1)
        int(value ?? 0)
    }
    mutating func string(_ value: String) {
        u64(UInt64(value.utf8.count))
        bytes += value.utf8
    }
    mutating func optionalString(_ value: String?) {
        bytes.append(value == nil ? 0 : 1)
        string(value ?? "")
    }
    mutating func strings(_ values: [String]) {
        u64(UInt64(values.count))
        for value in values { string(value) }
    }

    mutating func rule(_ rule: RuleDefinition) {
        string(rule.id)
        string(rule.category.rawValue)
        string(rule.reason)
        int(rule.priority)
        u64(UInt64(rule.codes.count))
        for code in rule.codes {
            int(code.codes.lowerBound)
            int(code.codes.upperBound)
        }
        u64(UInt64(rule.statuses.count))
        for status in rule.statuses {
            optionalInt(status.statusClass)
            optionalInt(status.subject)
            int(status.details.lowerBound)
            int(status.details.upperBound)
        }
        strings(rule.anyPhrases)
        strings(rule.allPhrases)
        strings(rule.nonePhrases)
        strings(rule.domains)
        strings(rule.mtas)
        u64(UInt64(rule.examples.count))
        for example in rule.examples {
            optionalInt(example.smtpCode)
            optionalString(example.enhancedStatus)
            string(example.diagnostic)
            optionalString(example.recipientDomain)
            optionalString(example.remoteMTA)
        }
        string(rule.file)
        bytes.append(rule.isUserRule ? 1 : 0)
    }
}

/// Reads what `Writer` wrote; every read checks the bounds and answers nil past the end or on a value
/// that `Writer` cannot have written.
private struct Reader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var atEnd: Bool { position == bytes.count }

    /// The bytes not read yet; the reader is then at its end.
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[position...])
    }

    mutating func u32() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }
    mutating func u64() -> UInt64? {
        guard bytes.count - position >= 8 else { return nil }
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }
    mutating func int() -> Int? { u64().map { Int(Int64(bitPattern: $0)) } }
    /// A count of items, each at least one byte long, so a damaged count cannot ask for more than the file holds.
    mutating func count() -> Int? {
        guard let value = u64(), value <= UInt64(bytes.count - position) else { return nil }
        return Int(value)
    }
    mutating func flag() -> Bool? {
        guard position < bytes.count, bytes[position] <= 1 else { return nil }
        defer { position += 1 }
        return bytes[position] == 1
    }
    mutating func optionalInt() -> Int?? {
        guard let present = flag(), let value = int() else { return nil }
        return .some(present ? value : nil)
    }
    mutating func string() -> String? {
        guard let length = count() else { return nil }
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
    }
    mutating func optionalString() -> String?? {
        guard let present = flag(), let value = string() else { return nil }
        return .some(present ? value : nil)
    }
    mutating func strings() -> [String]? {
        guard let count = count() else { return nil }
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            guard let value = string() else { return nil }
            result.append(value)
        }
        return result
    }
    mutating func range() -> ClosedRange<Int>? {
        guard let low = int(), let high = int(), low <= high else { return nil }
        return low...high
    }

    mutating func rule() -> RuleDefinition? {
        guard let id = string(), let categoryName = string(), let category = BounceCategory(rawValue: categoryName),
              let reason = string(), let priority = int(), let codeCount = count() else { return nil }
        var codes: [CodePattern] = []
        for _ in 0..<codeCount {
            guard let range = range() else { return nil }
            codes.append(CodePattern(codes: range))
        }
        guard let statusCount = count() else { return nil }
        var statuses: [StatusPattern] = []
        for _ in 0..<statusCount {
            guard let statusClass = optionalInt(), let subject = optionalInt(), let details = range() else { return nil }
            statuses.append(StatusPattern(statusClass: statusClass, subject: subject, details: details))
        }
        guard let anyPhrases = strings(), let allPhrases = strings(), let nonePhrases = strings(),
              let domains = strings(), let mtas = strings(), let exampleCount = count() else { return nil }
        var examples: [BounceResponse] = []
        examples.reserveCapacity(exampleCount)
        for _ in 0..<exampleCount {
            guard let code = optionalInt(), let status = optionalString(), let diagnostic = string(),
                  let domain = optionalString(), let mta = optionalString() else { return nil }
            examples.append(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: diagnostic,
                                           recipientDomain: domain, remoteMTA: mta))
        }
        guard let file = string(), let isUserRule = flag() else { return nil }
        return RuleDefinition(
            id: id, category: category, reason: reason, priority: priority, codes: codes, statuses: statuses,
            anyPhrases: anyPhrases, allPhrases: allPhrases, nonePhrases: nonePhrases, domains: domains, mtas: mtas,
            examples: examples, file: file, isUserRule: isUserRule)
    }
}

extension CodePattern {
    /// A pattern read back from `RulesCache`, already validated when it was parsed.
    fileprivate init(codes: ClosedRange<Int>) { self.codes = codes }
}

extension StatusPattern {
    /// A pattern read back from `RulesCache`, already validated when it was parsed.
    fileprivate init(statusClass: Int?, subject: Int?, details: ClosedRange<Int>) {
        self.statusClass = statusClass
        self.subject = subject
        self.details = details
    }
}
