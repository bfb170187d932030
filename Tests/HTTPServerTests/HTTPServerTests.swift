import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Synchronization
import Testing

/// A server on a free loopback port that answers every request with what it read, as JSON.
/// The requests a handler saw, from the server's threads.
final class Seen: Sendable {
    let requests = Mutex<[HTTPRequest]>([])

    func withLock<T>(_ body: (inout [HTTPRequest]) -> T) -> T { requests.withLock { body(&$0) } }
}

final class EchoServer {
    let server: HTTPServer
    let seen = Seen()

    init(options: HTTPServer.Options = HTTPServer.Options()) throws {
        let seen = self.seen
        server = try HTTPServer(listen: ListenAddress(host: "127.0.0.1", port: 0), options: options) { request in
            seen.withLock { $0.append(request) }
            let echo: [String: String] = [
                "method": request.method, "path": request.path, "rawPath": request.rawPath,
                "query": request.query.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "|"),
                "form": request.form.map { $0.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "|") } ?? "-",
                "x-test": request.headers["x-TEST"] ?? "-",
                "cookies": request.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "|"),
                "bodyBytes": String(request.body.count),
            ]
            var response = HTTPResponse(status: request.path == "/teapot" ? 418 : 200,
                                        body: Array(try! JSONSerialization.data(withJSONObject: echo, options: .sortedKeys)))
            response.headers.add("Content-Type", "application/json")
            response.headers.add("X-Echo", "ja")
            return response
        }
    }

    var base: String { "http://127.0.0.1:\(server.port)" }

    func get(_ pathAndQuery: String, headers: [String: String] = [:]) async throws -> (HTTPURLResponse, [String: String]) {
        try await Self.get(base, pathAndQuery, headers: headers)
    }

    static func get(_ base: String, _ pathAndQuery: String, headers: [String: String] = [:]) async throws -> (HTTPURLResponse, [String: String]) {
        var request = URLRequest(url: URL(string: base + pathAndQuery)!)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        return try await Self.fetch(request)
    }

    func post(_ path: String, body: [UInt8], type: String = "application/x-www-form-urlencoded") async throws -> (HTTPURLResponse, [String: String]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue(type, forHTTPHeaderField: "Content-Type")
        return try await Self.fetch(request)
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.httpShouldSetCookies = false
        c.httpCookieAcceptPolicy = .never
        return URLSession(configuration: c)
    }()

    static func fetch(_ request: URLRequest) async throws -> (HTTPURLResponse, [String: String]) {
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? ["raw": String(decoding: data, as: UTF8.self)]
        return (http, json)
    }
}

@Suite("HTTP server on libmicrohttpd")
struct HTTPServerTests {
    @Test func portZeroBindsAFreePortOnLoopback() throws {
        let a = try EchoServer(), b = try EchoServer()
        #expect(a.server.port != 0 && b.server.port != 0 && a.server.port != b.server.port)
        #expect(a.server.address.host == "127.0.0.1")
    }

    @Test func getGivesStatusHeadersAndBody() async throws {
        let s = try EchoServer()
        let (r, echo) = try await s.get("/teapot")
        #expect(r.statusCode == 418)
        #expect(r.value(forHTTPHeaderField: "x-echo") == "ja")
        #expect(r.value(forHTTPHeaderField: "Content-Type") == "application/json")
        #expect(echo["method"] == "GET")
        #expect(echo["path"] == "/teapot")
    }

    @Test func pathAndQueryAreDecoded() async throws {
        let s = try EchoServer()
        let (_, echo) = try await s.get("/sag/S-1%20b?q=r%C3%B8d+gr%C3%B8d&tom=&plus=%2B&q=2")
        #expect(echo["path"] == "/sag/S-1 b")
        #expect(echo["rawPath"] == "/sag/S-1%20b")
        // `+` is a space and `%2B` a plus: libmicrohttpd's own unescaping would have lost the difference.
        #expect(echo["query"] == "q=rød grød|tom=|plus=+|q=2")
    }

    @Test func headersAreFoundWithoutRegardToCase() async throws {
        let s = try EchoServer()
        let (_, echo) = try await s.get("/", headers: ["X-Test": "værdi"])
        #expect(echo["x-test"] == "værdi")
        let request = try #require(s.seen.withLock { $0.last })
        #expect(request.headers["x-test"] == "værdi" && request.headers["X-TEST"] == "værdi")
    }

    @Test func cookiesAreSplitByName() async throws {
        let s = try EchoServer()
        let (_, echo) = try await s.get("/", headers: ["Cookie": "session=abc123; tema=mørk"])
        #expect(echo["cookies"] == "session=abc123|tema=mørk")
    }

    @Test func postedFormIsDecoded() async throws {
        let s = try EchoServer()
        let (r, echo) = try await s.post("/login", body: Array("navn=Anne+Sofie&kode=%C3%A6%C3%B8%C3%A5%26%3D&tom".utf8))
        #expect(r.statusCode == 200)
        #expect(echo["method"] == "POST")
        #expect(echo["form"] == "navn=Anne Sofie|kode=æøå&=|tom=")
    }

    @Test func aBodyOfAnotherTypeIsNoForm() async throws {
        let s = try EchoServer()
        let (_, echo) = try await s.post("/x", body: Array("a=1".utf8), type: "text/plain")
        #expect(echo["form"] == "-")
        #expect(echo["bodyBytes"] == "3")
    }

    @Test func aBodyOverTheLimitIs413AndNeverReachesTheHandler() async throws {
        var options = HTTPServer.Options()
        options.maxBodyBytes = 1 << 20
        let s = try EchoServer(options: options)
        let (ok, _) = try await s.post("/x", body: [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20))
        #expect(ok.statusCode == 200)
        let (r, _) = try await s.post("/x", body: [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1))
        #expect(r.statusCode == 413)
        #expect(s.seen.withLock { $0.count } == 1)
    }

    @Test func aChunkedBodyOverTheLimitIs413() throws {
        var options = HTTPServer.Options()
        options.maxBodyBytes = 1000
        let s = try EchoServer(options: options)
        let chunk = String(repeating: "a", count: 600)
        let head = "POST /x HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        let reply = try RawHTTP.exchange(port: s.server.port, head + "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
        #expect(reply.status == 413)
        let small = try RawHTTP.exchange(port: s.server.port, head + "258\r\n\(chunk)\r\n0\r\n\r\n")
        #expect(small.status == 200)
        #expect(small.body.contains("\"bodyBytes\":\"600\""))
        #expect(s.seen.withLock { $0.count } == 1)
    }

    @Test func malformedEscapesAre400() throws {
        let s = try EchoServer()
        for target in ["/%zz", "/ok?q=%C3", "/ok?q=100%"] {
            let reply = try RawHTTP.exchange(port: s.server.port, "GET \(target) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(reply.status == 400, "\(target)")
        }
        #expect(s.seen.withLock { $0.isEmpty })
    }

    @Test func aHeaderWithALineBreakBecomes500NotAnInjectedHeader() throws {
        let server = try HTTPServer(listen: ListenAddress(host: "127.0.0.1", port: 0)) { _ in
            var r = HTTPResponse.text("hej")
            r.headers.add("X-Name", "a\r\nSet-Cookie: evil=1")
            return r
        }
        let reply = try RawHTTP.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(reply.status == 500)
        #expect(!reply.head.contains("evil"))
    }

    @Test func manyRequestsAtOnceAreAllAnswered() async throws {
        let s = try EchoServer()
        let base = s.base
        try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<40 { group.addTask { try await EchoServer.get(base, "/n?i=\(i)").1["query"] } }
            var answers: Set<String> = []
            for try await a in group { answers.insert(a ?? "") }
            #expect(answers == Set((0..<40).map { "i=\($0)" }))
        }
    }

    @Test func stopClosesTheListeningSocket() throws {
        let s = try EchoServer()
        let port = s.server.port
        #expect(try RawHTTP.exchange(port: port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").status == 200)
        s.server.stop()
        #expect(throws: (any Error).self) { try RawHTTP.connect(port: port) }
        s.server.stop()
    }

    @Test func aPortInUseIsAnError() throws {
        let s = try EchoServer()
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(listen: ListenAddress(host: "127.0.0.1", port: s.server.port)) { _ in .text("") }
        }
    }
}
