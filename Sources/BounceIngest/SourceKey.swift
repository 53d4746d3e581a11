import Digest

/// Builds `IngestedEvent.sourceKey` values.
enum SourceKey {
    /// 32 hex digits of SHA-256 over the message identity, the recipient (lower-cased) and the status.
    static func make(basis: String, recipient: String, kind: EventKind, status: String?, code: Int?) -> String {
        let material = [basis, recipient.lowercased(), kind.rawValue, status ?? "", code.map(String.init) ?? ""]
            .joined(separator: "\n")
        return String(SHA256.hex(Array(material.utf8)).prefix(32))
    }
}
