import Foundation
import Intake

/// CSV as Danish Excel reads it: `;` between cells, CRLF between rows, a UTF-8 BOM so Excel does not guess the charset.
public enum CSV {
    /// A cell: text (from mails, so guarded against formulas) or an amount we format ourselves.
    public enum Cell: Equatable {
        case text(String)
        case money(Money?)
    }

    public static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    public static func document(_ rows: [[Cell]]) -> Data {
        let body = rows.map { $0.map(encode).joined(separator: ";") + "\r\n" }.joined()
        return Data(bom + Array(body.utf8))
    }

    public static func encode(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return quoted(neutralised(s))
        case .money(let m): return m.map(amount) ?? ""
        }
    }

    /// Text Excel would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading `'`:
    /// a mail's sender decides this text, and the file is opened by people who trust it.
    public static func neutralised(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return s }
        return "'" + s
    }

    public static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `21000,00`: comma decimals and no thousands separator, so Danish Excel reads a number, not text.
    public static func amount(_ m: Money) -> String {
        let a = abs(m.ore)
        return "\(m.ore < 0 ? "-" : "")\(a / 100),\(a % 100 < 10 ? "0" : "")\(a % 100)"
    }
}
