import Foundation

/// Caller choices for message parsing.
public struct IngestOptions: Sendable, Hashable {
    /// Header names (case-insensitive) whose value in the original message is the campaign id;
    /// the first one present wins.
    public var campaignHeaders: [String]

    public init(campaignHeaders: [String] = ["X-Campaign-ID", "X-Campaign"]) {
        self.campaignHeaders = campaignHeaders
    }
}
