/// The largest values a policy may hold: what the run can store and compute with.
public enum PolicyLimits {
    /// PostgreSQL's `integer`, the type of every rate, count threshold and attempt number the plans store.
    public static let largestInteger = Int(Int32.max)
    /// 100 years: every duration is added to timestamps and sent to PostgreSQL as an interval, and a
    /// century is far beyond any sensible policy and far inside what both can hold.
    public static let longestDuration = Duration.seconds(100 * 365 * 86_400)
}
