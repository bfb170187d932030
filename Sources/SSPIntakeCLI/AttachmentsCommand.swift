import Foundation
import Secretariat
import Store

/// `ssp-intake attachments REF --to DIR`: a case's (or one mail's) attachments as files under their original names.
struct AttachmentsCommand: Command {
    static let name = "attachments"
    static let summary = "Gem en sags eller en mails bilag i en mappe under deres oprindelige navne"
    static let help = """
        Brug: ssp-intake attachments REF --to MAPPE [--config FIL]

        Gemmer bilagene fra alle sagens mails (REF = SSP-2027-0001 eller S-12)
        eller fra én mail (REF = M-4) i MAPPE, som oprettes, hvis den mangler.
        Navnene er dem, mailen gav filerne, gjort sikre: uden mappedele og
        kontroltegn. Findes navnet allerede i mappen med andet indhold, får
        filen et nummer, f.eks. "kvittering (2).pdf"; ingen fil overskrives.
        Ligger præcis samme fil der allerede, skrives den ikke igen.
        """

    var label: String
    var directory: String
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--to", "--config"])
        guard p.operands.count == 1 else {
            throw CLIError.usage("attachments skal have netop én reference, f.eks. SSP-2027-0001, S-12 eller M-4")
        }
        guard let to = p.values["--to"], !to.isEmpty else { throw CLIError.usage("attachments skal have --to MAPPE") }
        label = p.operands[0]
        directory = to
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        guard let ids = try AttachmentExport.messages(label, store: ws.store) else {
            throw CLIError(code: .dataError, message: "ingen sag eller mail med referencen \(label) (se ssp-intake queue)")
        }
        let written: [AttachmentExport.Written]
        do {
            written = try AttachmentExport.write(messages: ids, store: ws.store, to: URL(fileURLWithPath: directory))
        } catch let e as ActionError {
            throw CLIError(code: .cantCreate, message: e.description)
        }
        if written.isEmpty {
            print("\(label) har ingen bilag")
            return .ok
        }
        var out = ""
        for w in written {
            let name = w.original.isEmpty ? "(uden navn)" : w.original
            out += "\(w.mail)  \(name) → \(w.path)  \(ShowCommand.bytes(w.size))\(w.new ? "" : "  (fandtes allerede)")\n"
        }
        let fresh = written.filter(\.new).count
        out += "\(fresh) \(fresh == 1 ? "fil" : "filer") gemt i \(directory)"
            + (fresh < written.count ? ", \(written.count - fresh) fandtes allerede" : "") + "\n"
        // The names come from mail: they never drive the terminal.
        print(TerminalText.safe(out, keepingLines: true), terminator: "")
        return .ok
    }
}
