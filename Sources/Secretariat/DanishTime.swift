import Foundation

/// Times as the secretariat reads them: Copenhagen time, `dd-mm-yyyy hh:mm`, which Danish Excel takes as a date.
public enum DanishTime {
    public static let zone = TimeZone(identifier: "Europe/Copenhagen") ?? TimeZone(secondsFromGMT: 3600)!

    /// The store keeps ISO 8601 in UTC; anything else is shown as stored.
    public static func stamp(_ iso: String) -> String {
        guard !iso.isEmpty, let date = try? Date(iso, strategy: .iso8601) else { return iso }
        return stamp(date)
    }

    public static func stamp(_ date: Date) -> String {
        let c = components(date)
        return "\(two(c.day))-\(two(c.month))-\(c.year ?? 0) \(two(c.hour)):\(two(c.minute))"
    }

    public static func components(_ date: Date) -> DateComponents {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    public static func two(_ n: Int?) -> String {
        let n = n ?? 0
        return n < 10 ? "0\(n)" : "\(n)"
    }
}
