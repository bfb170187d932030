/// The keys a config file may hold, as a tree: JSONDecoder ignores a key it does not know, so a misspelt
/// optional key (`dataDirectroy`) would silently fall back to its default.
public indirect enum ConfigKeys: Sendable {
    /// A value with no keys inside that are checked: text, a number, a list of words.
    case value
    /// An object with only these keys (which are required is the decoder's business).
    case object([String: ConfigKeys])
    /// A list whose every element has this shape.
    case list(ConfigKeys)
    /// An object whose keys are data: any key when `allowed` is nil, else only those; every value has this shape.
    case map(allowed: Set<String>?, ConfigKeys)

    /// The keys of both: two decoders read the same site file, each knowing only its own.
    public func union(_ other: ConfigKeys) -> ConfigKeys {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            return .object(a.merging(b) { $0.union($1) })
        case (.list(let a), .list(let b)):
            return .list(a.union(b))
        case (.value, let x), (let x, .value):
            return x
        default:
            return self
        }
    }

    /// The first key of `json` (as JSONSerialization gives it) that is not known here, in key order.
    public func unknownKey(in json: Any) -> UnknownConfigKey? {
        unknownKey(in: json, path: [])
    }

    private func unknownKey(in json: Any, path: [String]) -> UnknownConfigKey? {
        switch self {
        case .value:
            return nil
        case .list(let element):
            guard let items = json as? [Any] else { return nil }
            for (i, item) in items.enumerated() {
                if let u = element.unknownKey(in: item, path: path + [String(i)]) { return u }
            }
            return nil
        case .object(let known):
            guard let object = json as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                guard let shape = known[key] else { return UnknownConfigKey(path: path, key: key, known: Array(known.keys)) }
                if let u = shape.unknownKey(in: object[key]!, path: path + [key]) { return u }
            }
            return nil
        case .map(let allowed, let shape):
            guard let object = json as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                if let allowed, !allowed.contains(key) { return UnknownConfigKey(path: path, key: key, known: Array(allowed)) }
                if let u = shape.unknownKey(in: object[key]!, path: path + [key]) { return u }
            }
            return nil
        }
    }
}

/// A key a config file holds that no decoder reads, with the known key it most likely meant.
public struct UnknownConfigKey: Sendable, Equatable {
    /// Dotted, as the decoders' own messages name keys: `source.pasword`, `leaders.2.mail`.
    public var path: String
    /// The known key at the same place nearest in spelling, dotted like `path`; nil when none is near.
    public var suggestion: String?
    /// Every key known at that place, sorted.
    public var known: [String]

    init(path parents: [String], key: String, known: [String]) {
        let prefix = parents.map { $0 + "." }.joined()
        path = prefix + key
        self.known = known.sorted()
        let scored = self.known.map { (key: $0, distance: Self.distance(key.lowercased(), $0.lowercased())) }
        // Far-fetched suggestions mislead more than none: allow about half the key's letters to differ.
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= max(3, (key.count + 1) / 2) {
            suggestion = prefix + best.key
        }
    }

    /// The one line the user reads, in Danish: `ukendt nøgle "x" i FILE – mente du "y"?`.
    public func message(file: String) -> String {
        if let suggestion { return "ukendt nøgle \"\(path)\" i \(file) – mente du \"\(suggestion)\"?" }
        return "ukendt nøgle \"\(path)\" i \(file) – kendte nøgler her: \(known.joined(separator: ", "))"
    }

    /// Levenshtein distance over characters: insertions, deletions and substitutions each count one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
