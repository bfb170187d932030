import Foundation
import Intake
import Secretariat

/// `ssp-intake edit REF FELT VÆRDI`: corrects a field the rules read wrongly.
struct EditCommand: Command {
    static let name = "edit"
    static let summary = "Ret et felt i en ansøgning eller kvittering"
    static let help = """
        Brug: ssp-intake edit REF FELT VÆRDI [--user NAVN] [--config FIL]

        Retter et felt, som reglerne læste forkert eller ikke fandt. Værdien
        læses som i en mail (fx "1. marts 2027 – 30. juni 2027" for Periode),
        og hvad der mangler eller er ugyldigt regnes ud igen; bliver en
        ansøgning komplet, går den videre til ledergruppen. Rettelsen gælder
        også, når sagen behandles igen.

        FELT er feltets navn som i ssp-intake show (fx Periode, "Tovholder,
        e-mail", Beløb) eller dets kode (period, coordinator.email, amount).

        Afslutningskoder: 0 ok, 64 forkert brug, 65 feltet eller værdien kan
        ikke bruges, 66 ingen database.
        """

    var label: String, field: String, value: String
    var user: String?, configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--user", "--config"])
        guard p.operands.count == 3 else { throw CLIError.usage("edit skal have en reference, et felt og en værdi, fx edit SSP-2027-0006 Periode \"1/3-30/6 2027\"") }
        (label, field, value) = (p.operands[0], p.operands[1], p.operands[2])
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.edit(label, field: field, value: value, user: secretariatUser(user)) }
    }
}

/// `ssp-intake link REF TIL-REF`: files a receipt, report or decision under the right application.
struct LinkCommand: Command {
    static let name = "link"
    static let summary = "Flyt en kvittering, status eller beslutning til den rigtige ansøgning"
    static let help = """
        Brug: ssp-intake link REF TIL-REF [--user NAVN] [--config FIL]

        Knytter sagen REF (en kvittering, status, beslutning eller et
        ændringsforslag) til ansøgningen TIL-REF. Flytningen gælder også, når
        sagen behandles igen.
        """

    var label: String, target: String
    var user: String?, configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--user", "--config"])
        guard p.operands.count == 2 else { throw CLIError.usage("link skal have to referencer, fx link S-13 SSP-2027-0004") }
        (label, target) = (p.operands[0], p.operands[1])
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.link(label, to: target, user: secretariatUser(user)) }
    }
}

/// `ssp-intake unlink REF`: takes a case out of its application.
struct UnlinkCommand: Command {
    static let name = "unlink"
    static let summary = "Tag en kvittering, status eller beslutning ud af sin ansøgning"
    static let help = """
        Brug: ssp-intake unlink REF [--user NAVN] [--config FIL]

        En kvittering uden indsats regnes som en fælles udgift (møde); en
        status uden indsats står som "ikke knyttet".
        """

    var label: String
    var user: String?, configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("unlink skal have præcis én reference") }
        label = p.operands[0]
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.unlink(label, user: secretariatUser(user)) }
    }
}

/// `ssp-intake close REF --note`: a review item settled without action.
struct CloseCommand: Command {
    static let name = "close"
    static let summary = "Afslut en sag, der ikke kræver handling, med en note"
    static let help = """
        Brug: ssp-intake close REF --note TEKST [--user NAVN] [--config FIL]

        Afslutter en sag til gennemsyn: en beslutning, der ikke blev anvendt,
        en ukendt mail, et ændringsforslag, en kvittering der ikke skal
        udbetales. Noten står på sagen og i loggen.
        """

    var label: String, note: String
    var user: String?, configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--note", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("close skal have præcis én reference") }
        guard let note = p.values["--note"], !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError.usage("close skal have en note: --note TEKST")
        }
        label = p.operands[0]
        self.note = note
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.close(label, user: secretariatUser(user), note: note) }
    }
}

/// `ssp-intake refund REF --date D --amount KR`: a receipt paid out.
struct RefundCommand: Command {
    static let name = "refund"
    static let summary = "Registrér at en kvittering er udbetalt"
    static let help = """
        Brug: ssp-intake refund REF --date DATO --amount KR [--user NAVN] [--config FIL]

        Kvitteringen får status "udbetalt" med dato og beløb, og budgettet
        viser det som udbetalt. Kun en registreret kvittering (til tiden og med
        bilag) kan udbetales, og ikke mere end dens beløb.

          --date DATO   udbetalingsdagen, fx 05-10-2027 eller "5. oktober 2027"
          --amount KR   det udbetalte beløb, fx 1187,25
        """

    var label: String, date: DayDate, amount: Money
    var user: String?, configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--date", "--amount", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("refund skal have præcis én reference") }
        guard let d = p.values["--date"] else { throw CLIError.usage("refund skal have --date DATO") }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        guard let day = DanishValues.date(in: d, defaultYear: year) else { throw CLIError.usage("--date \(d) er ikke en dato (fx 05-10-2027)") }
        guard let a = p.values["--amount"] else { throw CLIError.usage("refund skal have --amount KR") }
        label = p.operands[0]
        date = day
        amount = try parsedAmount(a, "--amount")
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.refund(label, date: date, amount: amount, user: secretariatUser(user)) }
    }
}
