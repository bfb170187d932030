import HTTPServer
import Testing

@Suite("Forms, addresses, cookies and downloads")
struct HTTPValuesTests {
    @Test(arguments: [
        ("a=1&b=2", [("a", "1"), ("b", "2")]),
        ("navn=Anne+Sofie", [("navn", "Anne Sofie")]),
        ("k=%2B%26%3D", [("k", "+&=")]),
        ("x=%C3%A6%C3%B8%C3%A5", [("x", "æøå")]),
        ("flag&tom=&&", [("flag", ""), ("tom", "")]),
        ("a=b=c", [("a", "b=c")]),
        ("", []),
    ])
    func formDecoding(text: String, expected: [(String, String)]) throws {
        let form = try #require(FormFields(urlEncoded: text))
        #expect(form.pairs.map(\.name) == expected.map(\.0))
        #expect(form.pairs.map(\.value) == expected.map(\.1))
    }

    @Test(arguments: ["a=%zz", "a=%C3", "a=%", "%ff=1"])
    func malformedFormsAreRefused(text: String) {
        #expect(FormFields(urlEncoded: text) == nil)
    }

    @Test func repeatedFieldsKeepEveryValue() throws {
        let form = try #require(FormFields(urlEncoded: "v=1&v=2&w=3"))
        #expect(form["v"] == "1")
        #expect(form.values("v") == ["1", "2"])
        #expect(form["nej"] == nil)
    }

    @Test func formNeedsItsMediaType() {
        var r = HTTPRequest(method: "POST", path: "/", body: Array("a=1".utf8))
        #expect(r.form == nil)
        r.headers.add("content-type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")
        #expect(r.form?["a"] == "1")
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("0.0.0.0:0", "0.0.0.0", 0),
        ("[::1]:9000", "::1", 9000),
    ])
    func listenAddresses(text: String, host: String, port: UInt16) throws {
        let a = try #require(ListenAddress(text))
        #expect(a.host == host && a.port == port)
        #expect(a.description == text)
    }

    @Test(arguments: ["localhost:8080", "127.0.0.1", "127.0.0.1:99999", ":8080", "::1:80", "[::1]8080", "1.2.3:80"])
    func badListenAddresses(text: String) {
        #expect(ListenAddress(text) == nil)
    }

    @Test func sessionCookieCarriesItsAttributes() {
        var r = HTTPResponse.text("ok")
        r.setCookie(SetCookie(name: "ssp_session", value: "abc", secure: true))
        #expect(r.headers["set-cookie"] == "ssp_session=abc; Path=/; Secure; HttpOnly; SameSite=Strict")
        #expect(SetCookie.deletion(name: "ssp_session").headerValue == "ssp_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    }

    @Test func downloadsAreAttachmentsWithTheNameEncoded() {
        let r = HTTPResponse.download([1, 2], filename: "\"><img onerror=x>æ.pdf", contentType: "text/html")
        #expect(r.headers["Content-Disposition"]
            == "attachment; filename=\"_><img onerror=x>_.pdf\"; filename*=UTF-8''%22%3E%3Cimg%20onerror%3Dx%3E%C3%A6.pdf")
        #expect(r.headers["X-Content-Type-Options"] == "nosniff")
        #expect(ContentDisposition.attachment(filename: "a\r\nb.txt").contains("filename=\"a__b.txt\""))
        #expect(!ContentDisposition.attachment(filename: "a\r\nb.txt").contains("\r"))
    }
}
