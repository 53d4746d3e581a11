/// Where to connect: a libpq conninfo string or `postgresql://` URL, or libpq's own `PG*` environment
/// and defaults when empty.
///
/// The text is passed to libpq untouched, so `sslmode`, `sslrootcert`, `application_name` and every
/// other libpq setting work as documented. Only ``redacted`` is ever shown to a person or a log.
public struct ConnectionSettings: Sendable, CustomStringConvertible {
    /// The conninfo or URL exactly as given; may hold a password. Never print it.
    public let conninfo: String

    public init(conninfo: String) {
        self.conninfo = conninfo
    }

    /// `--database-url`, else `DATABASE_URL`, else the empty conninfo (libpq reads `PGHOST`, `PGPORT`,
    /// `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `~/.pgpass` … itself).
    public static func resolve(explicit: String?, environment: [String: String]) -> ConnectionSettings {
        if let explicit, !explicit.isEmpty { return ConnectionSettings(conninfo: explicit) }
        if let fromEnvironment = environment["DATABASE_URL"], !fromEnvironment.isEmpty {
            return ConnectionSettings(conninfo: fromEnvironment)
        }
        return ConnectionSettings(conninfo: "")
    }

    /// The same server and credentials, another database: the URL's path is replaced, or `dbname`
    /// appended to a key/value conninfo (libpq lets a later key win).
    public func replacingDatabase(_ database: String) -> ConnectionSettings {
        guard conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://"),
            let schemeEnd = conninfo.firstRange(of: "://")
        else {
            return ConnectionSettings(conninfo: conninfo + " dbname=\(database)")
        }
        let rest = conninfo[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let authorityEnd = rest[..<queryStart].firstIndex(of: "/") ?? queryStart
        return ConnectionSettings(conninfo: String(conninfo[..<schemeEnd.upperBound]) + rest[..<authorityEnd] + "/"
            + database + rest[queryStart...])
    }

    /// The settings with any password replaced by `***`, safe to print.
    public var redacted: String { Self.redact(conninfo) }

    public var description: String { redacted }

    /// Masks the password in a URL (`user:secret@host`, `?password=secret`) or a key/value conninfo
    /// (`password=secret`, `password='se cret'`).
    /// A URL may also sit anywhere inside a longer message: each is masked in place.
    public static func redact(_ text: String) -> String {
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://"), !text.contains(where: \.isWhitespace) {
            return redactURL(text)
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard let scheme = word.firstRange(of: "postgres") else { return String(word) }
            let url = word[scheme.lowerBound...]
            guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else { return String(word) }
            return String(word[..<scheme.lowerBound]) + redactURL(String(url))
        }
        return redactKeyValue(words.joined(separator: " "))
    }

    private static func redactURL(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.firstRange(of: "://") {
            let afterScheme = result[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"),
                let colon = authority[..<at].firstIndex(of: ":")
            {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        // Query parameters: password=… up to the next & or the end.
        var output = ""
        var remainder = Substring(result)
        while let range = remainder.firstRange(of: "password=") {
            let before = remainder[..<range.lowerBound]
            let isParameterStart = before.last == "?" || before.last == "&"
            output += before
            output += "password="
            remainder = remainder[range.upperBound...]
            if isParameterStart {
                let end = remainder.firstIndex(of: "&") ?? remainder.endIndex
                output += "***"
                remainder = remainder[end...]
            }
        }
        output += remainder
        return output
    }

    private static func redactKeyValue(_ conninfo: String) -> String {
        var output = ""
        var index = conninfo.startIndex
        while index < conninfo.endIndex {
            // Copy whitespace, then read one key.
            while index < conninfo.endIndex, conninfo[index].isWhitespace {
                output.append(conninfo[index])
                index = conninfo.index(after: index)
            }
            let keyStart = index
            while index < conninfo.endIndex, conninfo[index] != "=", !conninfo[index].isWhitespace {
                index = conninfo.index(after: index)
            }
            let key = conninfo[keyStart..<index]
            output += key
            while index < conninfo.endIndex, conninfo[index].isWhitespace {
                output.append(conninfo[index])
                index = conninfo.index(after: index)
            }
            guard index < conninfo.endIndex, conninfo[index] == "=" else { continue }
            output.append("=")
            index = conninfo.index(after: index)
            while index < conninfo.endIndex, conninfo[index].isWhitespace {
                index = conninfo.index(after: index)
            }
            // Read the value: quoted with backslash escapes, or up to whitespace.
            var value = ""
            if index < conninfo.endIndex, conninfo[index] == "'" {
                value.append("'")
                index = conninfo.index(after: index)
                while index < conninfo.endIndex, conninfo[index] != "'" {
                    if conninfo[index] == "\\", conninfo.index(after: index) < conninfo.endIndex {
                        value.append(conninfo[index])
                        index = conninfo.index(after: index)
                    }
                    value.append(conninfo[index])
                    index = conninfo.index(after: index)
                }
                if index < conninfo.endIndex {
                    value.append("'")
                    index = conninfo.index(after: index)
                }
            } else {
                while index < conninfo.endIndex, !conninfo[index].isWhitespace {
                    value.append(conninfo[index])
                    index = conninfo.index(after: index)
                }
            }
            output += key.lowercased() == "password" ? "***" : value
        }
        return output
    }
}
