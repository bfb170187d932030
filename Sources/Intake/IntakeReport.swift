import Foundation

/// The intake part of `inspect --json` (README documents the keys); encodes into the same object as MessageReport.
public struct IntakeReport: Sendable, Encodable {
    public var result: IntakeResult

    public init(_ result: IntakeResult) { self.result = result }

    enum CodingKeys: String, CodingKey {
        case kind, reasons, fields, fieldSources, missing, invalid, decision, reference, trusted, late, hints, reply, noReplyReason, followUp
    }

    struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct ReplyJSON: Encodable {
        var kind: String
        var to: String
        var subject: String
    }

    struct LineJSON: Encodable {
        var heading: String
        var amount: Decimal?
        var months: [String]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(heading, forKey: .heading)
            try c.encode(amount, forKey: .amount)
            try c.encode(months, forKey: .months)
        }

        enum CodingKeys: String, CodingKey { case heading, amount, months }
    }

    static func number(_ m: Money) -> Decimal { Decimal(m.ore) / 100 }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(result.kind.rawValue, forKey: .kind)
        try c.encode(result.reasons, forKey: .reasons)
        var f = c.nestedContainer(keyedBy: FieldKey.self, forKey: .fields)
        for (key, value) in result.fields {
            let k = FieldKey(stringValue: key)
            switch value {
            case .text(let s): try f.encode(s, forKey: k)
            case .date(let d): try f.encode(d.iso, forKey: k)
            case .money(let m): try f.encode(Self.number(m), forKey: k)
            case .bool(let b): try f.encode(b, forKey: k)
            case .budget(let lines):
                try f.encode(lines.map { LineJSON(heading: $0.heading, amount: $0.amount.map(Self.number),
                                                  months: $0.months.map(\.iso)) }, forKey: k)
            }
        }
        var sources = c.nestedContainer(keyedBy: FieldKey.self, forKey: .fieldSources)
        for (key, source) in result.fieldSources where result.fields[key] != nil {
            try sources.encode(source, forKey: FieldKey(stringValue: key))
        }
        try c.encode(result.missing, forKey: .missing)
        try c.encode(result.invalid, forKey: .invalid)
        try c.encode(result.decision?.rawValue, forKey: .decision)
        try c.encode(result.reference, forKey: .reference)
        try c.encode(result.trusted, forKey: .trusted)
        try c.encode(result.late, forKey: .late)
        try c.encode(result.hints, forKey: .hints)
        try c.encode(result.followUp, forKey: .followUp)
        try c.encode(result.reply.map { ReplyJSON(kind: $0.kind.rawValue, to: $0.to.address, subject: $0.subject) },
                     forKey: .reply)
        try c.encode(result.noReplyReason, forKey: .noReplyReason)
    }
}
