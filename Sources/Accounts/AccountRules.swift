import Foundation

/// What a user name and a password must be, with the Danish reason when they are not. Pure.
public enum AccountRules {
    public static let minimumPasswordLength = 10
    /// Far below libxcrypt's 511 bytes, so a long Danish phrase never meets that limit.
    public static let maximumPasswordLength = 200
    public static let maximumNameLength = 64

    /// Names are logins and the audit log's actor: lowercase, so "Anne" and "anne" are one user.
    public static func normalizedName(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Why `name` (normalized) cannot be a user name; nil when it can.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Brugernavnet er tomt." }
        if name.count > maximumNameLength { return "Brugernavnet er for langt (højst \(maximumNameLength) tegn)." }
        // No spaces or punctuation that would blur the audit log or a URL.
        let allowed = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
        if !allowed { return "Brugernavnet må kun have bogstaver, tal og . _ -" }
        if pipelineNames.contains(name) { return "Brugernavnet '\(name)' er forbeholdt programmet." }
        return nil
    }

    /// Why `password` cannot be used; nil when it can.
    public static func passwordProblem(_ password: String) -> String? {
        if password.isEmpty { return "Adgangskoden er tom." }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "Adgangskoden må ikke indeholde styretegn."
        }
        if password.count < minimumPasswordLength { return "Adgangskoden skal have mindst \(minimumPasswordLength) tegn." }
        if password.count > maximumPasswordLength { return "Adgangskoden må højst have \(maximumPasswordLength) tegn." }
        return nil
    }

    /// Actor names the audit log already uses for the program itself.
    static let pipelineNames: Set<String> = ["pipeline"]
}
