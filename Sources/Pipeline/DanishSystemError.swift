import Foundation
import Store

/// The Danish words for an error from the system, Foundation or SQLite, as stored for a failed mail and shown to users:
/// Foundation's own text reads `Error Domain=NSCocoaErrorDomain Code=516 …` on Linux, and strerror is English.
public enum DanishSystemError {
    /// One line for any error: our own errors already speak Danish; the system's are translated, with the path if known.
    public static func describe(_ error: Error) -> String { text(error, path: true) }

    /// The same without the path, for a message that names the file itself ("kan ikke skrive X: ingen adgang").
    public static func reason(_ error: Error) -> String { text(error, path: false) }

    private static func text(_ error: Error, path: Bool) -> String {
        if let e = error as? StoreError { return database(e) }
        if let e = error as? POSIXError { return reason(errno: e.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return reason(errno: Int32(ns.code)) + (path ? place(ns) : "") }
        if ns.domain == NSCocoaErrorDomain { return cocoa(ns) + (path ? place(ns) : "") }
        // The product's own errors tell their message in Danish.
        return String(describing: error)
    }

    /// The reason for a C library's errno.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "filen eller mappen findes ikke"
        case EACCES, EPERM: return "ingen adgang"
        case EEXIST: return "filen findes allerede"
        case ENOSPC, EDQUOT: return "disken er fuld"
        case EROFS: return "disken er skrivebeskyttet"
        case ENOTDIR: return "en del af stien er en fil, ikke en mappe"
        case EISDIR: return "stien er en mappe, ikke en fil"
        case ENOTEMPTY: return "mappen er ikke tom"
        case EIO: return "læse- eller skrivefejl på disken"
        case ENAMETOOLONG: return "navnet er for langt"
        case EMFILE, ENFILE: return "for mange åbne filer"
        case EFBIG: return "filen er for stor"
        case ENOMEM: return "ikke nok hukommelse"
        case EBUSY: return "filen er optaget"
        case EAGAIN: return "midlertidigt utilgængelig; prøv igen"
        case ELOOP: return "for mange symbolske links i stien"
        case EXDEV: return "kan ikke flyttes mellem to diske"
        default: return "systemfejl (kode \(code))"
        }
    }

    /// The words for the database's errors, by SQLite's primary result code; busy is what the CLI tells apart (75).
    public static func database(_ e: StoreError) -> String {
        let what: String
        switch e.code & 0xFF {
        case 5, 6: what = "databasen er optaget af en anden ssp-intake; prøv igen"   // SQLITE_BUSY, SQLITE_LOCKED
        case 8: what = "databasen er skrivebeskyttet"   // SQLITE_READONLY
        case 10: what = "læse- eller skrivefejl på disken"   // SQLITE_IOERR
        case 11, 26: what = "databasefilen er beskadiget eller ikke en database"   // SQLITE_CORRUPT, SQLITE_NOTADB
        case 13: what = "disken er fuld"   // SQLITE_FULL
        case 14: what = "databasefilen kan ikke åbnes"   // SQLITE_CANTOPEN
        case 19: what = "databasen afviste ændringen"   // SQLITE_CONSTRAINT
        case 23: what = "ingen adgang til databasen"   // SQLITE_AUTH
        default: what = "databasefejl"
        }
        return "\(what) (sqlite \(e.code))"
    }

    // Foundation puts the system's errno under the Cocoa error when it has one: that is the more exact reason.
    private static func cocoa(_ ns: NSError) -> String {
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(u.code))
        }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "filen findes ikke"
        case .fileWriteFileExists: return "filen findes allerede"
        case .fileReadNoPermission, .fileWriteNoPermission: return "ingen adgang"
        case .fileWriteOutOfSpace: return "disken er fuld"
        case .fileWriteVolumeReadOnly: return "disken er skrivebeskyttet"
        case .fileReadTooLarge: return "filen er for stor"
        case .fileLocking: return "filen er låst"
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "ugyldigt filnavn"
        case .fileReadCorruptFile: return "filens indhold kan ikke læses"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "filens tegnsæt kan ikke bruges"
        case .fileReadUnknown: return "filen kan ikke læses"
        case .fileWriteUnknown: return "filen kan ikke skrives"
        default: return "systemfejl (kode \(ns.code))"
        }
    }

    private static func place(_ ns: NSError) -> String {
        (ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path).map { ": \($0)" } ?? ""
    }
}
