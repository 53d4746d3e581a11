import Digest

/// FNV-1a, 64-bit, over UTF-8 bytes: the stable hash behind retry jitter.
///
/// Chosen because it is a few lines in any language and gives the same answer on every platform
/// and run (Swift's `Hasher` is seeded per process). To mirror it in SQL, start from the offset
/// basis 14695981039346656037, and for each byte XOR it in and multiply by the prime
/// 1099511628211 modulo 2^64. In PostgreSQL (checked on 15 against the values in the tests):
///
///     CREATE FUNCTION fnv1a64(t text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $$
///     DECLARE h numeric := 14695981039346656037; b bytea := convert_to(t, 'UTF8'); low int;
///     BEGIN
///       FOR i IN 0 .. length(b) - 1 LOOP
///         low := (h % 256)::int;  -- XOR only touches the low byte
///         h := ((h - low + (low # get_byte(b, i))) * 1099511628211) % 18446744073709551616;
///       END LOOP;
///       RETURN h;
///     END $$;
///
/// and the jitter of `RetryPolicy.jitterDelay`, in `float8` so the rounding matches Swift's `Double`:
/// `floor(delay_s::float8 * (jitter_fraction::float8 * (floor(fnv1a64(message_id || E'\n' || recipient)
/// / 2048)::float8 / 9007199254740992.0::float8)))`.
public enum StableHash {

    /// FNV-1a 64 of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        fnv1a64(bytes: text.utf8)
    }

    /// FNV-1a 64 of `bytes`.
    public static func fnv1a64(bytes: some Sequence<UInt8>) -> UInt64 {
        FNV1a64.hash(bytes)
    }

    /// A fraction in [0, 1) from a hash: its top 53 bits over 2^53, exact in a `Double`.
    public static func unitFraction(_ hash: UInt64) -> Double {
        Double(hash >> 11) / 9_007_199_254_740_992.0
    }
}
