import CaseModel
import Foundation
import Testing
@testable import Secretariat
@testable import Store

/// The case's view over the samples: mails in order with the new text apart, attachments, Danish words.
@Suite struct CaseDetailsTests {
    /// SSP-2027-0004: the application, then leaders' approvals replying to it (quoting with > or with a header block).
    @Test func aCaseShowsItsMailsInOrderWithTheNewTextApartFromTheQuote() throws {
        let (store, _) = try Fixture.store()
        let d = try #require(try CaseDetails.load("SSP-2027-0004", store: store, config: Fixture.config))
        #expect(d.kindName == "ansøgning" && d.statusName == "godkendt af ledergruppen")
        #expect(d.mails.count >= 3)
        let received = d.mails.map(\.received)
        #expect(received == received.sorted())
        #expect(d.mails[0].subject.hasPrefix("Ansøgning om lokal SSP-indsats"))
        #expect(d.mails[0].from.contains("line.groenbaek@kk.dk"))
        let approval = try #require(d.mails.first { $0.newText.hasPrefix("Godkendt fra ledergruppen") })
        #expect(approval.reference == "M-\(approval.id)")
        #expect(approval.quoted.contains("Fra: Line Grønbæk Nielsen"))
        #expect(!approval.newText.contains("Fra: Line Grønbæk Nielsen"))
        #expect(approval.quoteMarker != nil)
        #expect(d.decisions.contains { $0.decisionName == "godkendt" && $0.mail == approval.reference })
    }

    @Test func repliesAndTheHistoryAreInDanish() throws {
        let (store, _) = try Fixture.store()
        let d = try #require(try CaseDetails.load("SSP-2027-0001", store: store, config: Fixture.config))
        let receipt = try #require(d.replies.first { $0.kind == "applicationReceived" })
        #expect(receipt.kindName == "kvittering for ansøgning")
        #expect(receipt.statusName == "sendt")
        #expect(receipt.mail == d.mails.first?.reference)
        #expect(d.history.contains { $0.actorName == "programmet" })
        #expect(!d.history.contains { $0.detail?.contains("applicationReceived") ?? false })
        #expect(d.fieldList.first?.name == "Navn på indsatsen")
    }

    @Test func attachmentsKeepTheirOriginalNamesAndSizes() throws {
        let (store, _) = try Fixture.store()
        let docx = try #require(try CaseDetails.load("SSP-2027-0001", store: store, config: Fixture.config))
        let file = try #require(docx.mails.first?.attachments.first)
        #expect(file.name == "Ansøgning Tryg i Tingbjerg.docx")
        #expect(file.size == 2677)
        let receipt = try #require(try store.records(kind: .receipt).first { $0.title?.contains("Ydre Nørrebro") ?? false })
        let shown = try #require(try CaseDetails.load(receipt.label, store: store, config: Fixture.config))
        #expect(shown.mails.flatMap(\.attachments).map(\.name) == ["IMG_4711.jpeg"])
        #expect(shown.mails.first?.attachments.first?.contentType == "image/jpeg")
    }

    @Test func recordsWithoutAReferenceAreSAndMailsAreM() throws {
        let (store, _) = try Fixture.store()
        let r = try #require(try store.records().first { $0.reference == nil })
        #expect(r.label == "S-\(r.id)")
        #expect(try store.record(label: "S-\(r.id)")?.id == r.id)
        #expect(try store.record(label: "#\(r.id)")?.id == r.id)
        guard case .case(let c)? = try RecordView.load(r.label, store: store, config: Fixture.config) else {
            Issue.record("S-\(r.id) is no case"); return
        }
        #expect(c.reference == r.label)
        let m = try #require(c.mails.first)
        guard case .mail(let mail)? = try RecordView.load(m.reference.lowercased(), store: store, config: Fixture.config) else {
            Issue.record("\(m.reference) is no mail"); return
        }
        #expect(mail.id == m.id && mail.belongsTo == r.label)
        #expect(!mail.history.isEmpty)
        #expect(try RecordView.load("M-99999", store: store, config: Fixture.config) == nil)
    }

    @Test func aFailedMailShowsWhyAndItsAttachments() throws {
        let (store, _) = try Fixture.store(mailbox: try Fixture.mailbox(["bilag.eml": Fixture.hostileMail]))
        let id = try #require(try store.messages(status: "processed").first)
        try store.markFailed(id, error: "kunne ikke læse mailen")
        let m = try #require(try MailDetails.load(id, store: store))
        #expect(m.status == "failed" && m.statusName == "kunne ikke behandles")
        #expect(m.error == "kunne ikke læse mailen")
        #expect(m.attachments.map(\.name) == ["../../etc/passwd", "kvit\u{07}tering\u{1B}.pdf", "bilag.pdf", "bilag.pdf"])
        #expect(m.attachments.map(\.safeName) == ["passwd", "kvittering.pdf", "bilag.pdf", "bilag.pdf"])
        #expect(m.attachments.map(\.size) == [5, 2, 3, 4])
        #expect(m.history.contains { $0.action == "fejlede" && $0.detail == "kunne ikke læse mailen" })
    }
}
