import MailCore

/// Reads a leader's decision from new text and decides whether the sender may make it (DOMAIN.md §3).
public struct DecisionRules: Sendable {
    let config: IntakeConfig
    private let approve: [String]
    private let reject: [String]
    private static let negations: Set<String> = ["ikke", "ej", "aldrig", "not", "never", "ingen"]

    public init(config: IntakeConfig) {
        self.config = config
        approve = config.rules.approvalWords.map { Fold.key($0) }.sorted { $0.count > $1.count }
        reject = config.rules.rejectionWords.map { Fold.key($0) }.sorted { $0.count > $1.count }
    }

    /// The decision in `newText` and the words it was read from. A rejection or a negated
    /// approval ("kan vi desværre ikke godkende") beats any bare "godkendt" in the same text.
    public func decision(in newText: String) -> (Decision, String?) {
        decision(folded: Fold.key(newText))
    }

    /// The same for new text the caller has folded already.
    func decision(folded f: String) -> (Decision, String?) {
        if let w = reject.first(where: { Fold.contains(f, phrase: $0) }) { return (.rejected, w) }
        // Any form of the verb under a negation rejects: "kan vi desværre ikke godkende den".
        for stem in ["godkend", "bevilg"] {
            var at = f.startIndex
            while let r = Fold.find(f, stem, from: at) {
                var end = r.upperBound
                while end < f.endIndex, f[end].isLetter { end = f.index(after: end) }
                if (r.lowerBound == f.startIndex || !f[f.index(before: r.lowerBound)].isLetter), isNegated(f, r.lowerBound..<end) {
                    return (.rejected, "ikke … \(f[r.lowerBound..<end])")
                }
                at = end
            }
        }
        var approved: String? = nil
        for w in approve {
            var from = f.startIndex
            while let r = Fold.firstMatch(f, phrase: w, from: from) {
                if isNegated(f, r) { return (.rejected, "ikke … \(w)") }
                approved = approved ?? w
                from = r.upperBound
            }
        }
        if let w = approved { return (.approved, w) }
        return (.unclear, nil)
    }

    // "ikke" up to three words before ("vi kan desværre ikke godkende") or right after ("godkendes ikke").
    private func isNegated(_ f: String, _ r: Range<String.Index>) -> Bool {
        // Only the few words around the verb matter: splitting the whole text each time made long mails quadratic.
        let before = f[..<r.lowerBound].suffix(80).split(whereSeparator: { !$0.isLetter }).suffix(3)
        if before.contains(where: { Self.negations.contains(String($0)) }) {
            // "ikke noget imod" style double meanings are rare; the sentence must not end in between.
            let gap = f[..<r.lowerBound].suffix(40)
            if let cut = gap.lastIndex(where: { $0 == "." || $0 == "!" || $0 == "?" || $0 == "\n" }) {
                let tail = gap[gap.index(after: cut)...]
                return tail.split(whereSeparator: { !$0.isLetter }).suffix(3).contains { Self.negations.contains(String($0)) }
            }
            return true
        }
        let after = f[r.upperBound...].prefix(40).split(whereSeparator: { !$0.isLetter }).prefix(1)
        return after.contains { Self.negations.contains(String($0)) }
    }

    /// Whether a decision from this message may be applied, with the reasons in Danish.
    public func trust(_ message: MailMessage, sender: MailAddress?) -> (Bool, [String]) {
        trust(message, from: message.from, sender: sender)
    }

    /// `fromList` is the message's From, parsed once by the caller.
    func trust(_ message: MailMessage, from fromList: [MailAddress], sender: MailAddress?) -> (Bool, [String]) {
        guard let from = fromList.first?.address, !from.isEmpty else {
            return (false, ["ikke tillid: mailen har ingen afsender"])
        }
        guard let leader = config.leader(withAddress: from) else {
            return (false, ["ikke tillid: \(from) er ikke en leder i konfigurationen"])
        }
        var reasons = ["afsender \(from) er leder (\(leader.name)\(leader.area.map { ", \($0)" } ?? ""))"]
        if let sender, sender.address.lowercased() != from.lowercased() {
            reasons.append("svar går til Reply-To \(sender.address)")
        }
        guard config.site.trust.requireDmarcPass else {
            reasons.append("DMARC-kontrol er slået fra i konfigurationen")
            return (true, reasons)
        }
        let domain = from.split(separator: "@").last.map { $0.lowercased() } ?? ""
        if config.site.trust.profile == .exchangeOnline {
            return ExchangeOnlineTrust(config: config).trust(message, domain: domain, reasons: reasons)
        }
        guard let servId = config.site.trust.authServId else {
            return (false, reasons + ["ikke tillid: DMARC kræves, men authServId mangler i konfigurationen"])
        }
        // Only our own server's topmost header counts: anything below it came with the mail.
        guard let ar = message.headers.all("authentication-results").lazy
            .compactMap({ AuthenticationResults($0.value) }).first(where: { $0.authServId == servId.lowercased() }) else {
            return (false, reasons + ["ikke tillid: ingen Authentication-Results fra \(servId)"])
        }
        guard let dmarc = ar.dmarc else {
            return (false, reasons + ["ikke tillid: \(servId) angiver intet DMARC-resultat"])
        }
        guard dmarc.result == "pass" else {
            return (false, reasons + ["ikke tillid: \(servId) angiver dmarc=\(dmarc.result)"])
        }
        if let hf = dmarc.headerFrom, hf != domain {
            return (false, reasons + ["ikke tillid: dmarc=pass gælder \(hf), ikke afsenderens domæne \(domain)"])
        }
        reasons.append("\(servId): dmarc=pass for \(domain)")
        return (true, reasons)
    }
}

/// The parts of an `Authentication-Results` header (RFC 8601) the trust check needs.
struct AuthenticationResults {
    /// nil for Exchange Online's headers, which begin with the first result.
    var authServId: String?
    var dmarc: (result: String, headerFrom: String?)?
    /// Exchange Online's composite authentication (`compauth=pass reason=100`).
    var compauth: String?

    /// `mx.kk.dk; dkim=pass header.d=politi.dk; dmarc=pass (p=reject) header.from=politi.dk`
    init?(_ value: String) {
        var clean = ""
        var depth = 0
        for c in value {
            if c == "(" { depth += 1; continue }
            if c == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { clean.append(c) }
        }
        let parts = clean.split(separator: ";").map { Fold.collapse(String($0)) }
        guard let first = parts.first, let id = first.split(separator: " ").first else { return nil }
        // "mx.kk.dk; dmarc=pass" names its server first; "spf=pass …; dmarc=pass" (Exchange Online) does not.
        let named = !id.contains("=")
        authServId = named ? id.lowercased() : nil
        for p in named ? Array(parts.dropFirst()) : parts {
            let words = p.split(separator: " ")
            guard let head = words.first?.lowercased() else { continue }
            if head.hasPrefix("dmarc="), dmarc == nil {
                let hf = words.first { $0.lowercased().hasPrefix("header.from=") }.map { String($0.dropFirst(12)).lowercased() }
                dmarc = (String(head.dropFirst(6)), hf)
            } else if head.hasPrefix("compauth="), compauth == nil {
                compauth = String(head.dropFirst(9))
            }
        }
    }
}
