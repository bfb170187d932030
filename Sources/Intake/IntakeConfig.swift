import Foundation
import MailCore

/// Everything the intake rules read from configuration: the site, the field labels and the reply texts.
public struct IntakeConfig: Sendable {
    /// The shared mailbox the product reads and answers from.
    public struct Mailbox: Sendable, Decodable {
        public var address: String
        public var displayName: String
        public var messageIdDomain: String

        public init(address: String, displayName: String, messageIdDomain: String) {
            self.address = address
            self.displayName = displayName
            self.messageIdDomain = messageIdDomain
        }
    }

    /// A local SSP area and the other names people write for it.
    public struct LocalArea: Sendable, Decodable {
        public var name: String
        public var aliases: [String]
    }

    /// A member of a local SSP leader group whose mailed decisions count.
    public struct Leader: Sendable, Decodable {
        public var name: String
        public var email: String
        public var area: String?
    }

    /// How far a From address is believed: what the receiving server wrote, by the profile of that server.
    public struct Trust: Sendable, Decodable {
        /// Which receiving server writes the headers trust is read from.
        public enum Profile: String, Sendable, CaseIterable {
            /// A server that writes RFC 8601 Authentication-Results with its own authserv-id (Postfix with OpenDMARC).
            case rfc8601
            /// Exchange Online: Authentication-Results without an authserv-id, and its X-MS-Exchange headers.
            case exchangeOnline
        }

        public var profile: Profile
        /// When true, a decision needs what the profile asks of the receiving server; false trusts every configured leader.
        public var requireDmarcPass: Bool
        /// rfc8601: the authserv-id our receiving server writes into Authentication-Results.
        public var authServId: String?
        /// exchangeOnline: the tenant's id (a GUID), as Exchange writes it in X-MS-Exchange-CrossTenant-Id.
        public var tenantId: String?
        /// exchangeOnline: the tenant's accepted domains (subdomains included); nil means the mailbox's domain.
        public var tenantDomains: [String]?

        enum CodingKeys: String, CodingKey { case profile, requireDmarcPass, authServId, tenantId, tenantDomains }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let name = try c.decodeIfPresent(String.self, forKey: .profile) ?? Profile.rfc8601.rawValue
            guard let p = Profile(rawValue: name) else {
                throw ConfigError("trust.profile \"\(name)\" findes ikke; brug \(Profile.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " eller "))")
            }
            profile = p
            requireDmarcPass = try c.decodeIfPresent(Bool.self, forKey: .requireDmarcPass) ?? true
            authServId = try c.decodeIfPresent(String.self, forKey: .authServId)
            tenantId = try c.decodeIfPresent(String.self, forKey: .tenantId)
            tenantDomains = try c.decodeIfPresent([String].self, forKey: .tenantDomains)
        }
    }

    /// How many replies may go out, so a loop with another robot or a flood stays small.
    public struct ReplyLimits: Sendable, Decodable {
        /// Replies to one address within 24 hours.
        public var perSenderPerDay: Int
        /// Replies to anyone within one hour.
        public var globalPerHour: Int

        public static let standard = ReplyLimits(perSenderPerDay: 5, globalPerHour: 300)
    }

    /// A day of the year, such as the receipt deadline 15 December.
    public struct MonthDay: Sendable, Decodable {
        public var month: Int
        public var day: Int
    }

    /// The site file (`config/ssp-intake.json`) before the files it names are read.
    public struct Site: Sendable, Decodable {
        public var mailbox: Mailbox
        public var internalDomains: [String]
        public var localAreas: [LocalArea]
        public var leaders: [Leader]
        public var trust: Trust
        public var poolKroner: Int
        public var receiptDeadline: MonthDay
        /// Absent in the file: `ReplyLimits.standard`.
        public var replyLimits: ReplyLimits?
        /// True: a leader's decision counts for a project in any local area, not only the leader's own.
        public var decisionsFromAnyArea: Bool?
        /// Path of the rules file, relative to the site file.
        public var rules: String
        /// Path of the reply texts, relative to the site file.
        public var replies: String
    }

    public var site: Site { didSet { keys = Keys(site) } }
    public var rules: IntakeRules
    public var replies: ReplyTexts
    /// The site's addresses and names as they are compared, made once (and again when the site changes):
    /// the rules ask for every message.
    private var keys: Keys

    private struct Keys: Sendable {
        var mailbox: String
        var internalDomains: [String]
        var leaderAddresses: [String]
        var leaderNames: [String]

        init(_ site: Site) {
            mailbox = site.mailbox.address.lowercased()
            internalDomains = site.internalDomains.map { $0.lowercased() }
            leaderAddresses = site.leaders.map { $0.email.lowercased() }
            leaderNames = site.leaders.map { Fold.key($0.name) }
        }
    }

    public init(site: Site, rules: IntakeRules, replies: ReplyTexts) {
        self.site = site
        self.rules = rules
        self.replies = replies
        keys = Keys(site)
    }

    /// Decodes the site file and the two files it names; `read` is given their relative paths.
    /// The caller does the I/O, so the core stays pure. `siteName` names the site file in messages.
    public static func decode(site data: Data, siteName: String = "site", read: (String) throws -> Data) throws -> IntakeConfig {
        let site = try decodeFile(Site.self, data, name: siteName)
        let rules = try decodeFile(IntakeRules.self, try read(site.rules), name: site.rules)
        let replies = try decodeFile(ReplyTexts.self, try read(site.replies), name: site.replies)
        let config = IntakeConfig(site: site, rules: rules, replies: replies)
        try config.validate()
        return config
    }

    /// Every key of the site file this type reads (the runtime settings read the rest of it).
    public static let siteKeys = ConfigKeys.object([
        "mailbox": .object(["address": .value, "displayName": .value, "messageIdDomain": .value]),
        "internalDomains": .value,
        "localAreas": .list(.object(["name": .value, "aliases": .value])),
        "leaders": .list(.object(["name": .value, "email": .value, "area": .value])),
        "trust": .object(["profile": .value, "requireDmarcPass": .value, "authServId": .value, "tenantId": .value, "tenantDomains": .value]),
        "poolKroner": .value,
        "receiptDeadline": .object(["month": .value, "day": .value]),
        "replyLimits": .object(["perSenderPerDay": .value, "globalPerHour": .value]),
        "decisionsFromAnyArea": .value,
        "rules": .value,
        "replies": .value,
    ])

    /// Every key of the rules file.
    public static let rulesKeys: ConfigKeys = {
        let fields = ConfigKeys.list(.object(["key": .value, "labels": .value]))
        return .object([
            "applicationFields": fields,
            "requiredApplicationFields": .value,
            "anchoringParts": .object(["geographic": .value, "organisational": .value]),
            "budgetTotalLabels": .value,
            "receiptFields": fields,
            "companyCardWords": .value,
            "privateCardWords": .value,
            "negationWords": .value,
            "proseHeadingWords": fields,
            "numberedPoints": .value,
            "subjectNamePrefixes": .value,
            "statusReportSigns": .value,
            "kindWords": .object(["application": .value, "receipt": .value, "statusReport": .value]),
            "approvalWords": .value,
            "rejectionWords": .value,
            "outOfOfficeSubjects": .value,
            "noReplyLocalParts": .value,
            "sspParties": .list(.object(["party": .value, "words": .value])),
            "knowledgeMethods": .value,
        ])
    }()

    /// Every key of the reply texts: templates are keyed by reply kind; field names by field key, which is data.
    public static let repliesKeys = ConfigKeys.object([
        "fallbackName": .value,
        "signature": .value,
        "fieldNames": .map(allowed: nil, .value),
        "templates": .map(allowed: Set(ReplyKind.allCases.map(\.rawValue)), .object(["body": .value, "subject": .value])),
    ])

    private static func decodeFile<T: Decodable>(_ type: T.Type, _ data: Data, name: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw ConfigError("\(name): nøglen \"\(path(ctx.codingPath + [key]))\" mangler")
        } catch let DecodingError.typeMismatch(type, ctx) {
            throw ConfigError("\(name): \"\(path(ctx.codingPath))\" skal være \(expected(type))")
        } catch let DecodingError.valueNotFound(type, ctx) {
            throw ConfigError("\(name): \"\(path(ctx.codingPath))\" er null, men skal være \(expected(type))")
        } catch let DecodingError.dataCorrupted(ctx) {
            guard ctx.codingPath.isEmpty else { throw ConfigError("\(name): ugyldig værdi ved \"\(path(ctx.codingPath))\"") }
            let under = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw ConfigError("\(name): ikke gyldig JSON\(under.flatMap(place).map { " (\($0))" } ?? "")")
        }
    }

    /// What a value of `type` is, in the words of someone editing the file.
    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "tekst"
        case is Int.Type, is Double.Type: return "et tal"
        case is Bool.Type: return "true eller false"
        case is [Any].Type: return "en liste"
        default: return String(describing: type).hasPrefix("Array") ? "en liste" : "et objekt"
        }
    }

    /// "linje 3, kolonne 5" from Foundation's English parse message, which names the place in words the user does not read.
    private static func place(_ debug: String) -> String? {
        let words = debug.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: ".", with: " ").split(separator: " ")
        func number(after word: String) -> String? {
            guard let i = words.firstIndex(of: Substring(word)), i + 1 < words.count, Int(words[i + 1]) != nil else { return nil }
            return String(words[i + 1])
        }
        guard let line = number(after: "line") else { return nil }
        return "omkring linje \(line)" + (number(after: "column").map { ", kolonne \($0)" } ?? "")
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    // Values JSON accepts but the rules cannot work with are config errors, found at start.
    private func validate() throws {
        // Both go into replies as SMTP paths (From:, the envelope, approval requests).
        guard SMTPPath.problem(site.mailbox.address) == nil else { throw ConfigError("mailbox.address er ikke en e-mailadresse") }
        guard (1...12).contains(site.receiptDeadline.month), (1...31).contains(site.receiptDeadline.day) else {
            throw ConfigError("receiptDeadline er ikke en dag i året (month 1–12, day 1–31)")
        }
        guard site.poolKroner >= 0 else { throw ConfigError("poolKroner er negativ") }
        if site.trust.profile == .exchangeOnline {
            // The tenant id is what tells our tenant's internal mail from another tenant's: without it nothing internal is believed.
            guard let id = site.trust.tenantId, UUID(uuidString: id) != nil else {
                throw ConfigError("trust.tenantId skal være lejerens id (en GUID som 72f988bf-86f1-41af-91ab-2d7cd011db47), når profile er \"exchangeOnline\"")
            }
            if let d = site.trust.tenantDomains, d.isEmpty || d.contains(where: { !$0.contains(".") }) {
                throw ConfigError("trust.tenantDomains skal være lejerens domæner, fx [\"kk.dk\"]")
            }
        }
        if let l = site.replyLimits, l.perSenderPerDay < 1 || l.globalPerHour < 1 {
            throw ConfigError("replyLimits skal tillade mindst ét svar")
        }
        for l in site.leaders where SMTPPath.problem(l.email) != nil {
            throw ConfigError("leaders: \"\(l.email)\" er ikke en e-mailadresse")
        }
        for key in rules.requiredApplicationFields where !rules.applicationFields.contains(where: { $0.key == key }) {
            throw ConfigError("\(site.rules): det krævede felt \"\(key)\" har ingen labels i applicationFields")
        }
        for kind in ReplyKind.allCases where replies.templates[kind.rawValue] == nil {
            throw ConfigError("\(site.replies): ingen tekst til svaret \"\(kind.rawValue)\" under templates")
        }
    }

    /// The leader with this address, compared case-insensitively.
    public func leader(withAddress address: String) -> Leader? {
        let a = address.lowercased()
        return keys.leaderAddresses.firstIndex(of: a).map { site.leaders[$0] }
    }

    /// True when `address` is our own mailbox's, compared case-insensitively.
    public func isMailbox(_ address: String) -> Bool { address.lowercased() == keys.mailbox }

    /// The leader with this name, compared on folded letters.
    public func leader(named name: String) -> Leader? {
        let n = Fold.key(name)
        return keys.leaderNames.firstIndex(of: n).map { site.leaders[$0] }
    }

    /// True when the address's domain is one of the internal domains (or below one).
    public func isInternal(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...].lowercased()
        return keys.internalDomains.contains { d in domain == d || domain.hasSuffix("." + d) }
    }
}

/// A configuration problem, told in one line.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The Danish words the rules look for (`config/rules-da.json`): labels, aliases and phrases are data, not code.
public struct IntakeRules: Sendable, Decodable {
    /// One field and every label it may be written under.
    public struct FieldLabels: Sendable, Decodable {
        public var key: String
        public var labels: [String]
    }

    /// Words that name one of the SSP parties.
    public struct Party: Sendable, Decodable {
        public var party: String
        public var words: [String]
    }

    /// The parts of "Forankring".
    public struct AnchoringParts: Sendable, Decodable {
        public var geographic: [String]
        public var organisational: [String]
    }

    /// Words that point at a kind of mail.
    public struct KindWords: Sendable, Decodable {
        public var application: [String]
        public var receipt: [String]
        public var statusReport: [String]
    }

    public var applicationFields: [FieldLabels]
    public var requiredApplicationFields: [String]
    public var anchoringParts: AnchoringParts
    public var budgetTotalLabels: [String]
    public var receiptFields: [FieldLabels]
    public var companyCardWords: [String]
    public var privateCardWords: [String]
    /// Words that turn a payment phrase around ("ikke med firmakortet"); absent: none.
    public var negationWords: [String]?
    /// The words a prose heading names each field by ("Hvornår løber indsatsen?" → period); absent: none.
    public var proseHeadingWords: [FieldLabels]?
    /// The fields of the form's numbered points, in order, for numbered prose paragraphs; absent: none.
    public var numberedPoints: [String]?
    /// What a subject says before an application's name ("Ansøgning om lokal SSP-indsats:"); absent: none.
    public var subjectNamePrefixes: [String]?
    /// What a status report says even with several labels ("forbrug hidtil", "status pr."); absent: none.
    public var statusReportSigns: [String]?
    public var kindWords: KindWords
    public var approvalWords: [String]
    public var rejectionWords: [String]
    public var outOfOfficeSubjects: [String]
    public var noReplyLocalParts: [String]
    public var sspParties: [Party]
    public var knowledgeMethods: [String]
}

/// The Danish reply texts (`config/replies-da.json`), one template per reply kind.
public struct ReplyTexts: Sendable, Decodable {
    /// One reply: its body with `{{placeholders}}`.
    public struct Template: Sendable, Decodable {
        public var body: String
        /// Subject for a message that starts a thread (the approval request); replies use "SV: <subject>".
        public var subject: String?
    }

    /// The greeting's fallback when the sender's name is unknown.
    public var fallbackName: String
    /// The closing lines under every reply.
    public var signature: String
    /// Danish display names of the fields, by key, for "what was understood" and "what is missing".
    public var fieldNames: [String: String]
    public var templates: [String: Template]
}
