import BouncePlanning
import Postgres

/// Reads the `timestamptz` text PostgreSQL prints in ISO style (`YYYY-MM-DD HH:MM:SS[.ffffff]+00`, the
/// reader's session runs in UTC) as microseconds since the epoch, so that pass 1 can aggregate times
/// without asking the server to print a second number for every event.
enum EventTime {
    /// Microseconds since the epoch, nil when the text is not an ISO timestamp (`infinity`).
    static func micros(_ text: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        func digits(atLeast minimum: Int, atMost maximum: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while index < text.count, count < maximum, let digit = Self.digit(text[index]) {
                value = value * 10 + digit
                index += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        // A byte, not a `Character`: `Character.asciiValue` cost about 200 instructions a call, ten calls an
        // event (callgrind, pass 1's reader).
        func skip(_ byte: Unicode.Scalar) -> Bool {
            guard index < text.count, text[index] == UInt8(ascii: byte) else { return false }
            index += 1
            return true
        }
        guard var year = digits(atLeast: 4, atMost: 9), skip("-"), let month = digits(atLeast: 2, atMost: 2), skip("-"),
            let day = digits(atLeast: 2, atMost: 2), skip(" "), let hour = digits(atLeast: 2, atMost: 2), skip(":"),
            let minute = digits(atLeast: 2, atMost: 2), skip(":"), let second = digits(atLeast: 2, atMost: 2)
        else { return nil }
        var fraction: Int64 = 0
        if skip(".") {
            var scale: Int64 = 100_000
            while index < text.count, let digit = Self.digit(text[index]) {
                fraction += digit * scale
                scale /= 10
                index += 1
            }
        }
        var offset: Int64 = 0
        if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            let sign: Int64 = text[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = digits(atLeast: 2, atMost: 2) else { return nil }
            var seconds = hours * 3600
            if skip(":") {
                guard let minutes = digits(atLeast: 2, atMost: 2) else { return nil }
                seconds += minutes * 60
                if skip(":") {
                    guard let rest = digits(atLeast: 2, atMost: 2) else { return nil }
                    seconds += rest
                }
            }
            offset = sign * seconds
        }
        if skip(" ") {
            guard skip("B"), skip("C") else { return nil }
            year = 1 - year
        }
        guard index == text.count else { return nil }
        let days = Timestamp.daysSinceEpoch(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3_600 + minute * 60 + second - offset) * 1_000_000 + fraction
    }

    /// The time as binary COPY sends a `timestamptz` (`CopyBinaryEncoder.timestamp(postgresMicros:)`):
    /// microseconds since 2000-01-01 UTC, or the two infinities; nil when the text is none of these.
    static func postgresMicros(_ text: UnsafeRawBufferPointer) -> Int64? {
        if text.elementsEqual("infinity".utf8) { return Int64.max }
        if text.elementsEqual("-infinity".utf8) { return Int64.min }
        return micros(text).map { $0 - CopyBinaryRow.postgresEpochMicros }
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}
