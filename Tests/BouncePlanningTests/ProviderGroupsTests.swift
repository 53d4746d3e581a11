import Testing
import BouncePlanning

@Suite struct ProviderGroupsTests {
    let groups = ProviderGroups.defaults

    @Test(arguments: [
        ("gmail.com", "google"), ("GoogleMail.com", "google"), ("outlook.com", "microsoft"), ("hotmail.co.uk", "microsoft"),
        ("live.fr", "microsoft"), ("msn.com", "microsoft"), ("yahoo.co.jp", "yahoo"), ("aol.com", "yahoo"),
        ("ymail.com", "yahoo"), ("rocketmail.com", "yahoo"), ("icloud.com", "apple"), ("me.com", "apple"),
        ("mac.com", "apple"), ("gmx.de", "united-internet"), ("gmx.net", "united-internet"), ("web.de", "united-internet"),
        ("orange.fr", "orange"), ("wanadoo.fr", "orange"), ("mail.ru", "mailru"), ("bk.ru", "mailru"),
        ("inbox.ru", "mailru"), ("list.ru", "mailru"), ("yandex.ru", "yandex"), ("yandex.com.tr", "yandex"),
        ("ya.ru", "yandex"), ("comcast.net", "comcast"), ("qq.com", "tencent"), ("zoho.com", "zoho"),
        ("example.org", "example.org"), ("gmail.com.", "google"), ("sub.gmail.com", "sub.gmail.com"),
    ])
    func mapsDomainsToGroups(domain: String, group: String) {
        #expect(groups.group(forDomain: domain) == group)
    }

    @Test func mapsRecipientsByTheirDomain() {
        #expect(groups.group(forRecipient: "Someone@Hotmail.FR") == "microsoft")
        #expect(groups.group(forRecipient: "odd\"@\"name@example.net") == "example.net")
        #expect(ProviderGroups.domain(ofRecipient: "no-at-sign") == "no-at-sign")
    }

    @Test func rejectsBadAndDuplicatePatterns() {
        #expect(throws: ProviderGroupsError.invalidPattern(group: "g", pattern: "*.example.com")) {
            try ProviderGroups(patternsByGroup: ["g": ["*.example.com"]])
        }
        #expect(throws: ProviderGroupsError.invalidPattern(group: "g", pattern: "localhost")) {
            try ProviderGroups(patternsByGroup: ["g": ["localhost"]])
        }
        #expect(throws: ProviderGroupsError.duplicatePattern(pattern: "x.com", groups: ["a", "b"])) {
            try ProviderGroups(patternsByGroup: ["a": ["x.com"], "b": ["x.com"]])
        }
    }

    @Test func defaultTableBuildsWithoutFallingBack() {
        #expect(groups.patternsByGroup == ProviderGroups.defaultPatterns)
    }
}
