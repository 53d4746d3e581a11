import BouncePlanStore
import BouncePlanning

/// Generates a realistic night of delivery events: each provider answers in its own published words
/// with its own mix of deliveries, hard bounces, deferrals, throttling and complaints; a long tail of
/// small domains behind ordinary MTAs; about one address in ten seen again; a few sending IPs and
/// campaigns. Deterministic for a seed.
struct SampleEventGenerator: Sequence, IteratorProtocol {
    private var random: SplitMix64
    private let count: Int
    private var produced = 0
    private let tailDomains: Int
    /// Seconds since the epoch of the newest event; events spread over `spanSeconds` before it.
    private let newestEpoch: Int
    private let spanSeconds: Int
    /// Recent recipients with their provider (nil: the tail), so that about one in ten is seen again.
    private var recent: [(recipient: String, domain: String, provider: Int?)] = []
    private let providerPicker: WeightedPicker
    private let providerResponses: [WeightedPicker]
    private let domainPickers: [WeightedPicker]
    private let tailResponses: [SampleResponse]
    private let tailPicker: WeightedPicker

    /// The sending IPs and pools; replies that quote the IP quote the one that sent.
    static let sources = ["192.0.2.10", "192.0.2.11", "198.51.100.7", "pool-transactional"]
    /// The share of events going to the long tail of small domains, out of 1000.
    static let tailPerMille = 300

    init(count: Int, seed: UInt64 = 42, tailDomains: Int = 2000, newestEpoch: Int, spanSeconds: Int = 86_400,
         tail: [SampleResponse] = SampleResponses.tail) {
        self.random = SplitMix64(seed: seed)
        self.count = count
        self.tailDomains = Swift.max(1, tailDomains)
        self.newestEpoch = newestEpoch
        self.spanSeconds = Swift.max(1, spanSeconds)
        providerPicker = WeightedPicker(SampleResponses.providers.map(\.weight))
        providerResponses = SampleResponses.providers.map { WeightedPicker($0.responses.map(\.weight)) }
        domainPickers = SampleResponses.providers.map { WeightedPicker($0.domains.map(\.weight)) }
        tailResponses = tail.isEmpty ? SampleResponses.tail : tail
        tailPicker = WeightedPicker(tailResponses.map(\.weight))
    }

    mutating func next() -> NewBounceEvent? {
        guard produced < count else { return nil }
        produced += 1
        let (recipient, domain, provider) = pickRecipient()
        let response: SampleResponse
        let mx: String
        if let provider {
            let profile = SampleResponses.providers[provider]
            response = profile.responses[providerResponses[provider].pick(random.next())]
            mx = profile.mx
        } else {
            response = tailResponses[tailPicker.pick(random.next())]
            mx = "mx.\(domain)"
        }
        let source = Self.sources[Int(random.next() % UInt64(Self.sources.count))]
        let campaign = Int(random.next() % 12)
        let epoch = newestEpoch - Int(random.next() % UInt64(spanSeconds))
        let id = String(random.next() % 1_000_000_000, radix: 36)
        let text = response.text
            .replacing("{rcpt}", with: recipient)
            .replacing("{domain}", with: domain)
            .replacing("{ip}", with: source.first?.isNumber == true ? source : "192.0.2.12")
            .replacing("{id}", with: id)
            .replacing("{sender_domain}", with: "news.example.com")
        return NewBounceEvent(
            occurredAt: Timestamp(secondsSinceEpoch: Int64(epoch)).description, recipient: recipient, sender: "bounces@news.example.com",
            sourceIP: source, messageID: "<c\(campaign).\(random.next() % 1_000_000)@news.example.com>",
            campaignID: "campaign-\(campaign)", smtpCode: response.code, enhancedStatus: response.status,
            diagnostic: text, remoteMTA: mx, kind: response.kind)
    }

    private mutating func pickRecipient() -> (String, String, Int?) {
        if !recent.isEmpty, random.next() % 10 == 0 {
            let seen = recent[Int(random.next() % UInt64(recent.count))]
            return (seen.recipient, seen.domain, seen.provider)
        }
        let domain: String
        let provider: Int?
        if Int(random.next() % 1000) >= Self.tailPerMille {
            let index = providerPicker.pick(random.next())
            let profile = SampleResponses.providers[index]
            domain = profile.domains[domainPickers[index].pick(random.next())].domain
            provider = index
        } else {
            domain = "company\(random.next() % UInt64(tailDomains)).example"
            provider = nil
        }
        let recipient = "user\(random.next() % 5_000_000)@\(domain)"
        if recent.count < 10_000 { recent.append((recipient, domain, provider)) } else {
            recent[Int(random.next() % 10_000)] = (recipient, domain, provider)
        }
        return (recipient, domain, provider)
    }
}

/// Picks an index in proportion to its weight, from one random number.
struct WeightedPicker {
    private let cumulative: [Int]

    init(_ weights: [Int]) {
        var running = 0
        cumulative = weights.map { running += Swift.max(0, $0); return running }
    }

    func pick(_ random: UInt64) -> Int {
        guard let total = cumulative.last, total > 0 else { return 0 }
        let target = Int(random % UInt64(total))
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// A small, fast, deterministic generator (SplitMix64), so sample data is the same on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (the modulo bias is irrelevant at these bounds).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
