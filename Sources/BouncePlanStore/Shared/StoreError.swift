/// Errors of the store that are not raw database errors, each saying what to do.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Another `bounceplan run` holds the run lock (exit status 75).
        case locked
        /// A migration file changed after it was applied, or the files cannot be read.
        case migration
        /// The schema is missing or older than this program.
        case schema
        /// Input that cannot be used.
        case invalidInput
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
