/// Small integer codes for the (outcome, reason, rule) of tonight's events, so that the staging table
/// carries one integer instead of three texts.
///
/// Pass 1 numbers each distinct verdict as it meets it and pass 2 turns the codes back into the same
/// strings. The staging rows are what the recipient pass sorts: at 1 M events of the bench mix the three
/// texts are about 38 bytes of a 237-byte sort tuple, and the sorted read cost the server 1.38–1.70 CPU s
/// with codes against 1.82–2.19 with the texts (measured by hand, two rounds). The table is bounded by
/// the rule set: reasons and rule ids come from the rules or from `EventDecision`'s fixed verdicts,
/// never from an event's own text. The codes live only as long as the run (the staging table is
/// temporary), so no dictionary table is stored.
struct VerdictCodes: Sendable {
    /// One decoded verdict; pass 2 shares these strings between all the events that carry it.
    struct Verdict: Sendable, Hashable {
        let outcome: String
        let reason: String
        let ruleID: String
    }

    /// The verdicts by code.
    private(set) var verdicts: [Verdict] = []
    private var codes: [Verdict: Int32] = [:]
    /// The last verdict coded: most of a night is deliveries, one verdict in long stretches.
    private var last: (verdict: Verdict, code: Int32)?

    init() {}

    /// The code of a verdict, numbered on first sight.
    mutating func code(outcome: String, reason: String, ruleID: String) -> Int32 {
        let verdict = Verdict(outcome: outcome, reason: reason, ruleID: ruleID)
        if let last, last.verdict == verdict { return last.code }
        let code: Int32
        if let known = codes[verdict] {
            code = known
        } else {
            code = Int32(verdicts.count)
            verdicts.append(verdict)
            codes[verdict] = code
        }
        last = (verdict, code)
        return code
    }

    /// The verdict of a code this table gave out; nil for any other number.
    func verdict(_ code: Int) -> Verdict? {
        verdicts.indices.contains(code) ? verdicts[code] : nil
    }
}
