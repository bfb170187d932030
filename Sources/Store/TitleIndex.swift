import Glibc

/// The applications' folded titles in memory, keyed by their first four bytes, so that finding
/// the titles named in a subject costs the subject's length, not the number of applications.
/// The store rebuilds it when a transaction was rolled back (an id may then be reused) and at the
/// start of each pass (another process may have added records).
struct TitleIndex {
    private var keys: [Int64: [UInt8]] = [:]
    private var byPrefix: [UInt32: [Int64]] = [:]
    /// Titles shorter than a prefix, scanned one by one (there are few).
    private var short: Set<Int64> = []

    init(_ rows: [(Int64, String)]) {
        for (id, key) in rows { set(id, key) }
    }

    private static func prefix(_ b: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// Adds, replaces or (with nil) removes an application's title.
    mutating func set(_ id: Int64, _ key: String?) {
        if let old = keys.removeValue(forKey: id) {
            if old.count < 4 {
                short.remove(id)
            } else {
                let p = old.withUnsafeBufferPointer { Self.prefix($0.baseAddress!) }
                byPrefix[p]?.removeAll { $0 == id }
            }
        }
        guard let key, !key.isEmpty else { return }
        let bytes = Array(key.utf8)
        keys[id] = bytes
        if bytes.count < 4 {
            short.insert(id)
        } else {
            byPrefix[bytes.withUnsafeBufferPointer { Self.prefix($0.baseAddress!) }, default: []].append(id)
        }
    }

    /// Ids of titles (at least `minLength` bytes) that occur in `text`, ascending.
    func ids(in text: String, minLength: Int) -> [Int64] {
        var found = Set<Int64>()
        var text = text
        text.withUTF8 { t in
            guard let base = t.baseAddress else { return }
            if t.count >= 4 {
                for i in 0...(t.count - 4) {
                    guard let candidates = byPrefix[Self.prefix(base + i)] else { continue }
                    for id in candidates where !found.contains(id) {
                        let k = keys[id]!
                        if k.count >= minLength, k.count <= t.count - i, memcmp(base + i, k, k.count) == 0 { found.insert(id) }
                    }
                }
            }
            for id in short where minLength <= keys[id]!.count {
                let k = keys[id]!
                if k.count <= t.count, (0...(t.count - k.count)).contains(where: { memcmp(base + $0, k, k.count) == 0 }) {
                    found.insert(id)
                }
            }
        }
        return found.sorted()
    }
}
