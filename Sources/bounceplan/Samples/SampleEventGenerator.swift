import BouncePlanStore
import BouncePlanning

/// Generates realistic bounce events: big providers dominate, a long tail of small domains, about one
/// address in ten bouncing more than once, a few sending IPs and campaigns. Deterministic for a seed.
struct SampleEventGenerator: Sequence, IteratorProtocol {
    private var random: SplitMix64
    private let count: Int
    private var produced = 0
    private let tailDomains: Int
    /// Seconds since the epoch of the newest event; events spread over the day before it.
    private let newestEpoch: Int
    private let cumulativeWeights: [Int]
    private let totalWeight: Int
    /// Recent recipients, so that about one in ten bounces again.
    private var recent: [(String, String)] = []

    static let providers: [(domain: String, mx: String, weight: Int)] = [
        ("gmail.com", "gmail-smtp-in.l.google.com", 300), ("googlemail.com", "gmail-smtp-in.l.google.com", 10),
        ("outlook.com", "outlook-com.olc.protection.outlook.com", 70), ("hotmail.com", "hotmail-com.olc.protection.outlook.com", 80),
        ("live.com", "live-com.olc.protection.outlook.com", 20), ("hotmail.co.uk", "eur.olc.protection.outlook.com", 10),
        ("yahoo.com", "mta7.am0.yahoodns.net", 90), ("aol.com", "mx-aol.mail.gm0.yahoodns.net", 25), ("yahoo.fr", "mx-eu.mail.am0.yahoodns.net", 10),
        ("icloud.com", "mx01.mail.icloud.com", 40), ("me.com", "mx01.mail.icloud.com", 5),
        ("comcast.net", "mx1a1.comcast.net", 15), ("gmx.de", "mx00.gmx.net", 15), ("web.de", "mx-ha02.web.de", 12),
        ("orange.fr", "smtp-in.orange.fr", 12), ("mail.ru", "mxs.mail.ru", 10), ("yandex.ru", "mx.yandex.ru", 10),
        ("zoho.com", "mx.zoho.com", 5), ("qq.com", "mx3.qq.com", 8),
    ]

    private let responses: [SampleResponse]

    init(count: Int, seed: UInt64 = 42, tailDomains: Int = 2000, newestEpoch: Int,
         responses: [SampleResponse] = SampleResponses.all) {
        self.random = SplitMix64(seed: seed)
        self.count = count
        self.tailDomains = Swift.max(1, tailDomains)
        self.newestEpoch = newestEpoch
        self.responses = responses.isEmpty ? SampleResponses.all : responses
        var running = 0
        cumulativeWeights = self.responses.map { running += $0.weight; return running }
        totalWeight = running
    }

    mutating func next() -> NewBounceEvent? {
        guard produced < count else { return nil }
        produced += 1
        let (recipient, domain, mx) = pickRecipient()
        let target = Int(random.next() % UInt64(totalWeight))
        let index = cumulativeWeights.firstIndex { $0 > target } ?? 0
        let response = responses[index]
        let source = ["192.0.2.10", "192.0.2.11", "198.51.100.7", "pool-transactional"][Int(random.next() % 4)]
        let campaign = Int(random.next() % 12)
        let epoch = newestEpoch - Int(random.next() % 86_400)
        let text = response.text
            .replacing("{rcpt}", with: recipient)
            .replacing("{domain}", with: domain)
            .replacing("{sender_domain}", with: "news.example.com")
        return NewBounceEvent(
            occurredAt: Timestamp(secondsSinceEpoch: Int64(epoch)).description, recipient: recipient, sender: "bounces@news.example.com",
            sourceIP: source, messageID: "<c\(campaign).\(random.next() % 1_000_000)@news.example.com>",
            campaignID: "campaign-\(campaign)", smtpCode: response.code, enhancedStatus: response.status,
            diagnostic: text, remoteMTA: mx, kind: response.kind)
    }

    private mutating func pickRecipient() -> (String, String, String) {
        if !recent.isEmpty, random.next() % 10 == 0 {
            let (recipient, domain) = recent[Int(random.next() % UInt64(recent.count))]
            return (recipient, domain, "mx.\(domain)")
        }
        let (domain, mx): (String, String)
        if random.next() % 100 < 70 {
            let total = Self.providers.reduce(0) { $0 + $1.weight }
            var target = Int(random.next() % UInt64(total))
            var chosen = Self.providers[0]
            for provider in Self.providers {
                if target < provider.weight { chosen = provider; break }
                target -= provider.weight
            }
            (domain, mx) = (chosen.domain, chosen.mx)
        } else {
            let tail = "company\(random.next() % UInt64(tailDomains)).example"
            (domain, mx) = (tail, "mx.\(tail)")
        }
        let recipient = "user\(random.next() % 5_000_000)@\(domain)"
        if recent.count < 10_000 { recent.append((recipient, domain)) } else {
            recent[Int(random.next() % 10_000)] = (recipient, domain)
        }
        return (recipient, domain, mx)
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
}
