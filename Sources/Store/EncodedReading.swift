import Foundation
import Intake

/// A reading's four JSON columns with the reading they were made from: saving a record whose
/// reading is unchanged (as loaded, or encoded ahead on another thread) encodes nothing again.
public struct EncodedReading: Sendable {
    let fields: [String: FieldValue]
    let missing: [String]
    let invalid: [FieldIssue]
    let hints: [String]
    let json: (fields: String, missing: String, invalid: String, hints: String)

    /// Encodes `reading` as the store writes it (keys sorted).
    public init(_ reading: ApplicationReading) throws {
        // Empty columns are the common case for every record but applications.
        func encode<T: Encodable & Collection>(_ v: T, empty: String) throws -> String {
            v.isEmpty ? empty : String(decoding: try IntakeStore.encoder.encode(v), as: UTF8.self)
        }
        self.init(reading, json: (try encode(reading.fields, empty: "{}"), try encode(reading.missing, empty: "[]"),
                                  try encode(reading.invalid, empty: "[]"), try encode(reading.hints, empty: "[]")))
    }

    /// The columns as read from the store, with what they decoded to.
    init(_ reading: ApplicationReading, json: (fields: String, missing: String, invalid: String, hints: String)) {
        fields = reading.fields
        missing = reading.missing
        invalid = reading.invalid
        hints = reading.hints
        self.json = json
    }

    /// True when these columns still say what `reading` says.
    public func matches(_ reading: ApplicationReading) -> Bool {
        reading.fields == fields && reading.missing == missing && reading.invalid == invalid && reading.hints == hints
    }
}
