import MailCore

/// Trust as Exchange Online's own headers tell it (issue 17, DOMAIN.md §3).
///
/// Relied on, and why they cannot be forged on that server:
/// - `X-MS-Exchange-Organization-AuthAs` and `-MessageDirectionality`: Exchange's header firewall
///   removes every `X-MS-Exchange-Organization-*` header from mail that arrives from outside the
///   organisation, then writes its own; only a sender who logged in to our tenant gets `Internal`
///   and `Originating`. Each must stand exactly once: two mean one of them did not come from Exchange.
/// - `X-MS-Exchange-CrossTenant-Id`: the tenant the message was authenticated in. Not known to be
///   stripped, so it is only ever a third condition beside the two above, never enough alone.
/// - The topmost `Authentication-Results`: Exchange writes it, without an authserv-id, above every
///   header the message came with, so only the first one counts; one that names a server is not
///   Exchange's. This holds only when mail reaches the tenant through Exchange Online's own MX
///   (no gateway it can be sent around, `RejectDirectSend` on): the README says what IT must confirm.
struct ExchangeOnlineTrust {
    let config: IntakeConfig

    var tenantDomains: [String] {
        let configured = config.site.trust.tenantDomains?.map { $0.lowercased() }
        let own = config.site.mailbox.address.split(separator: "@").last.map { String($0).lowercased() }
        return configured ?? own.map { [$0] } ?? []
    }

    func isTenantDomain(_ domain: String) -> Bool {
        tenantDomains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }

    func trust(_ message: MailMessage, domain: String, reasons start: [String]) -> (Bool, [String]) {
        var reasons = start
        func refuse(_ why: String) -> (Bool, [String]) { (false, reasons + ["ikke tillid: " + why]) }
        let authAs = values(message, "X-MS-Exchange-Organization-AuthAs")
        if isTenantDomain(domain) {
            guard let tenant = config.site.trust.tenantId?.lowercased() else { return refuse("trust.tenantId mangler i konfigurationen") }
            if let why = exactlyOnce(authAs, "X-MS-Exchange-Organization-AuthAs", is: "internal") { return refuse(why) }
            let direction = values(message, "X-MS-Exchange-Organization-MessageDirectionality")
            if let why = exactlyOnce(direction, "X-MS-Exchange-Organization-MessageDirectionality", is: "originating") { return refuse(why) }
            let crossTenant = values(message, "X-MS-Exchange-CrossTenant-Id")
            if let why = exactlyOnce(crossTenant, "X-MS-Exchange-CrossTenant-Id", is: tenant) { return refuse(why) }
            reasons.append("Exchange Online: \(domain) er lejerens domæne, og afsenderen er logget ind i lejeren (AuthAs Internal, Originating, lejer \(tenant))")
            return (true, reasons)
        }
        // A sender from outside is never one Exchange authenticated inside the tenant.
        if authAs.contains(where: { $0.lowercased() == "internal" }) {
            return refuse("\(domain) er ikke lejerens domæne, men mailen er mærket AuthAs Internal")
        }
        guard let top = message.headers.all("authentication-results").first else {
            return refuse("Exchange Online har ikke skrevet Authentication-Results")
        }
        guard let ar = AuthenticationResults(top.value) else { return refuse("den øverste Authentication-Results kan ikke læses") }
        if let id = ar.authServId {
            return refuse("den øverste Authentication-Results er skrevet af \(id), ikke af Exchange Online")
        }
        guard let dmarc = ar.dmarc else { return refuse("Exchange Online angiver intet DMARC-resultat") }
        guard dmarc.result == "pass" else { return refuse("Exchange Online angiver dmarc=\(dmarc.result)") }
        if let hf = dmarc.headerFrom, hf != domain {
            return refuse("dmarc=pass gælder \(hf), ikke afsenderens domæne \(domain)")
        }
        guard ar.compauth == "pass" else { return refuse("Exchange Online angiver compauth=\(ar.compauth ?? "intet")") }
        reasons.append("Exchange Online: dmarc=pass og compauth=pass for \(domain)")
        return (true, reasons)
    }

    private func values(_ m: MailMessage, _ name: String) -> [String] {
        m.headers.all(name).map { $0.value.trimmingWhitespace() }
    }

    /// Why `values` is not exactly one `expected` (compared without case), or nil when it is.
    private func exactlyOnce(_ values: [String], _ name: String, is expected: String) -> String? {
        switch values.count {
        case 0: return "\(name) mangler (mailen er ikke sendt af en bruger, der er logget ind i lejeren)"
        case 1: return values[0].lowercased() == expected ? nil : "\(name) er \"\(values[0])\", ikke \"\(expected)\""
        default: return "\(name) står \(values.count) gange (kun Exchange Online selv må skrive den)"
        }
    }
}
