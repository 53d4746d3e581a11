import Digest

/// Builds `IngestedEvent.sourceKey` values.
enum SourceKey {
    /// 32 hex digits of SHA-256 over the message identity, the recipient (lower-cased) and the status:
    /// the first half of the digest of `basis\nrecipient\nkind\nstatus\ncode`. Keys already stored
    /// depend on this exact text, so it must never change.
    static func make(basis: String, recipient: String, kind: EventKind, status: String?, code: Int?) -> String {
        // Built as bytes rather than joined Strings: it runs once per event on every ingest path.
        var material: [UInt8] = []
        material.reserveCapacity(basis.utf8.count + recipient.utf8.count + 32)
        material.append(contentsOf: basis.utf8)
        material.append(0x0A)
        if recipient.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in recipient.utf8 { material.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        } else {
            material.append(contentsOf: recipient.lowercased().utf8)
        }
        material.append(0x0A)
        material.append(contentsOf: kind.rawValue.utf8)
        material.append(0x0A)
        if let status { material.append(contentsOf: status.utf8) }
        material.append(0x0A)
        if let code { material.append(contentsOf: String(code).utf8) }
        return String(decoding: SHA256.hex(material).utf8.prefix(32), as: UTF8.self)
    }
}
