@testable import BounceClassification
import Foundation
import Testing

/// The word model (`Config/rules/95-word-model.tsv`) speaks only when no rule recognised a response.
@Suite("Word model")
struct WordModelTests {
    @Test("a model verdict's rule id is the prefix and the category", arguments: BounceCategory.allCases)
    func ruleID(category: BounceCategory) {
        #expect(WordModel.ruleID(category) == WordModel.ruleIDPrefix + category.rawValue)
    }

    static func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { WordTokens.words($0) }
    }

    @Test("tokenisation folds letters and drops numbers, addresses, hosts, IPs and queue ids", arguments: [
        ("550 5.1.1 <Jane.Doe@example.com>: Recipient address REJECTED", ["recipient", "address", "rejected"]),
        ("host mx1.example.net[192.0.2.7] said: mailbox unavailable", ["host", "said", "mailbox", "unavailable"]),
        ("queue id 4XyZ9q2 E-Mail doesn't exist\\nbye", ["queue", "id", "e-mail", "doesn't", "exist", "bye"]),
        ("Benutzer UNBEKANNT, Адресат не найден", ["benutzer", "unbekannt", "адресат", "не", "найден"]),
        ("ＵＳＥＲ　宛先不明です。", ["user", "宛", "先", "不", "明", "で", "す"]),
        ("see https://example.org/help?id=7 or x", ["see", "https", "or"]),
    ])
    func tokenisation(text: String, expected: [String]) {
        #expect(Self.words(text) == expected)
    }

    @Test("features are each word and each adjacent pair, once")
    func features() {
        #expect(WordTokens.features(ofWords: ["no", "such", "user", "no", "such"]) == ["no", "such", "no such", "user", "such user", "user no"])
    }

    /// A small model trained on hand-written rows, so that its verdicts follow from the rows alone.
    static let handModel = WordModelTrainer.train([
        .init(text: "mailbox gone away for good", category: .suppress),
        .init(text: "this mailbox is gone", category: .suppress),
        .init(text: "the mailbox went away", category: .suppress),
        .init(text: "slow down please, too fast", category: .ratelimit),
        .init(text: "you send too fast, slow down", category: .ratelimit),
        .init(text: "please slow down", category: .ratelimit),
        .init(text: "come back later please", category: .retry),
        .init(text: "later please, we are resting", category: .retry),
        .init(text: "your host is blocked here", category: .sender),
        .init(text: "blocked your host for abuse", category: .sender),
    ])

    @Test("a model trained on a few rows reads new texts by their words", arguments: [
        ("you are sending too fast, slow down now", BounceCategory.ratelimit),
        ("please come back later", .retry),
        ("we blocked your host", .sender),
    ])
    func handModelReading(text: String, expected: BounceCategory) throws {
        var text = text
        let reading = try #require(text.withUTF8 { Self.handModel.read($0) })
        #expect(reading.category == expected)
        #expect(reading.margin > 0)
        #expect(!reading.evidence.isEmpty && reading.evidence.count <= 3)
    }

    /// Hand-written wordings in no corpus file; the committed model reads them by their words.
    @Test("the committed model reads new wordings", arguments: [
        ("we do not accept your mails, your server is on our list", BounceCategory.sender),
        ("too many emails from you in a short while, wait", .ratelimit),
        ("the destination server did not answer, we will try again", .retry),
        ("この宛先は存在しません", .suppress),
    ])
    func committedModel(text: String, expected: BounceCategory) throws {
        let model = try #require(try Classifier.loadWordModel(rulesDirectory: TestSupport.rulesDirectory))
        var text = text
        let reading = try #require(text.withUTF8 { model.read($0) })
        #expect(reading.category == expected)
        #expect(reading.margin >= WordModel.minimumMargin)
    }

    @Test("a model verdict names its category's generic reason, its rule id and the words that weighed most")
    func verdictShape() {
        // Words no word family knows, so that only the model can read them.
        let model = WordModelTrainer.train([
            .init(text: "florp glim zandor", category: .content), .init(text: "glim zandor florp wux", category: .content),
            .init(text: "quib norl", category: .retry), .init(text: "norl quib pell", category: .retry),
        ])
        let classifier = Classifier(defaults: [], wordModel: model)
        let result = classifier.classify(BounceResponse(diagnostic: "florp glim zandor"))
        #expect(result.category == .content)
        #expect(result.reason == "content_policy")
        #expect(result.ruleID == "word-model.content")
        #expect(result.evidence.hasPrefix("words: "))
        #expect(result.evidence.split(separator: ",").count <= 3)
    }

    @Test("too few known words or too small a lead stay unknown")
    func staysUnknown() {
        let classifier = Classifier(defaults: [], wordModel: Self.handModel)
        for text in ["zebra quantum", "mailbox", ""] {
            #expect(classifier.classify(BounceResponse(diagnostic: text)).category == .unknown, "\(text)")
        }
    }

    /// A model that believes every word means "gone" still cannot suppress what names us or a
    /// temporary fault: its suppressions pass the safety guard like a rule's.
    @Test("the model never suppresses past the safety guard", arguments: [
        "blocked your IP address gone gone gone",
        "your IP is listed on a block list, mailbox gone away gone",
        "mailbox gone away, try again later gone gone",
        "policy: our blocked senders list, mailbox gone away gone",
    ])
    func neverSuppressesPastGuard(text: String) {
        var rows = (0..<40).map { _ in WordModelTrainer.Row(text: text + " mailbox gone away", category: .suppress) }
        rows.append(.init(text: "come back later", category: .retry))
        let classifier = Classifier(defaults: [], wordModel: WordModelTrainer.train(rows))
        let result = classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category != .suppress, "\(result.ruleID) \(result.evidence)")
        #expect(classifier.classify(BounceResponse(smtpCode: 450, diagnostic: "mailbox gone away gone gone")).category != .suppress)
    }

    /// The model only speaks where the rules said `unknown`: every other verdict stays as it was.
    @Test("with or without the model, every verdict the rules reach is identical")
    func onlyUnknownChanges() {
        let withModel = TestSupport.classifier
        let rulesOnly = withModel.replacingWordModel(nil)
        var changed = 0
        for row in CorpusPart.open.rows {
            let before = rulesOnly.classify(row.response)
            let after = withModel.classify(row.response)
            if before.category != .unknown {
                #expect(after == before, "\(row.id)")
            } else if after != before {
                changed += 1
                #expect(after.ruleID.hasPrefix("word-model."), "\(row.id)")
            }
        }
        #expect(changed < CorpusPart.open.rows.count / 100)
    }

    @Test("the committed model is the open corpus's model: regenerating it gives the same bytes")
    func regenerationIdentity() throws {
        let corpus = TestSupport.packageRoot.appendingPathComponent("Tests/BounceClassificationTests/Corpus")
        let openFolder = corpus.appendingPathComponent("open")
        let names = try FileManager.default.contentsOfDirectory(atPath: openFolder.path).filter { $0.hasSuffix(".tsv") }.sorted()
        let files = [corpus.appendingPathComponent("responses.tsv")] + names.map { openFolder.appendingPathComponent($0) }
        let rows = try files.flatMap { WordModelTrainer.rows(fromCorpusTSV: try String(contentsOf: $0, encoding: .utf8)) }
        let committed = try String(contentsOfFile: TestSupport.rulesDirectory + "/" + WordModel.fileName, encoding: .utf8)
        let regenerated = WordModelTrainer.train(rows).serialized()
        #expect(regenerated == committed, "run `make word-model` and commit Config/rules/\(WordModel.fileName)")
        #expect(try WordModel.parse(committed, file: "committed") == WordModelTrainer.train(rows))
    }

    @Test("a model survives writing and reading back")
    func roundTrip() throws {
        #expect(try WordModel.parse(Self.handModel.serialized(), file: "hand") == Self.handModel)
    }

    @Test("a bad model file is refused with its line and what is wrong", arguments: [
        ("", 1, "ends before its header"),
        ("# c\nrows\tx\tdigest\t0\tfeatures\t0\ncategories\tretry\tsender\nprior\t-1\t-1\n", 2, "rows N digest"),
        ("# c\nrows\t1\tdigest\t0\tfeatures\t0\ncategories\tretry\tbogus\nprior\t-1\t-1\n", 3, "not a category"),
        ("# c\nrows\t1\tdigest\t0\tfeatures\t1\ncategories\tretry\tsender\nprior\t-1\t-1\nword\t-1\n", 5, "expected 2 weights"),
        ("# c\nrows\t1\tdigest\t0\tfeatures\t1\ncategories\tretry\tsender\nprior\t-1\t-1\nword\t-1\t7\n", 5, "not a log-likelihood"),
        ("# c\nrows\t1\tdigest\t0\tfeatures\t2\ncategories\tretry\tsender\nprior\t-1\t-1\nword\t-1\t-2\n", 6, "promises 2 features"),
    ])
    func badFile(text: String, line: Int, message: String) {
        do {
            _ = try WordModel.parse(text, file: "m.tsv")
            Issue.record("accepted a bad model")
        } catch let error as RuleFileError {
            #expect(error.file == "m.tsv")
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.message.contains("learn-words"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("the rules folder's model is optional, but a bad one stops loading with the file named")
    func loading() throws {
        let folder = TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        TestSupport.write("rules:\n  - {id: t.one, category: retry, reason: temporary_failure, any: [\"come back\"], examples: [{text: \"come back\"}]}\n",
                          to: folder + "/10-test.yaml")
        #expect(try Classifier.loadWordModel(rulesDirectory: folder) == nil)
        #expect(try Classifier.load(rulesDirectory: folder).classify(BounceResponse(diagnostic: "zebra")).category == .unknown)
        TestSupport.write("rows\tmany\n", to: folder + "/" + WordModel.fileName)
        #expect {
            _ = try Classifier.load(rulesDirectory: folder)
        } throws: { error in
            (error as? RuleFileError)?.file.hasSuffix(WordModel.fileName) == true
        }
    }
}
