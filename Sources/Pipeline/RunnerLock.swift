import Foundation
import Glibc
import Synchronization

/// Another process runs the pipeline on the data directory, or the lock file cannot be used.
public struct RunnerLockError: Error, Sendable, CustomStringConvertible {
    /// The pid the holder wrote in the lock file; nil when the lock is free but the file unusable, or not yet written.
    public var holder: Int32?
    /// True when another process holds the lock (try later); false when the file itself failed.
    public var isHeld: Bool
    public var path: String
    public var message: String
    public var description: String { message }
}

/// The exclusive right to run the pipeline (ingest, process, deliver) on one data directory:
/// `flock` on `<dataDirectory>/ssp-intake.lock`, with the holder's pid written in it.
///
/// Held until the process ends: the kernel drops it when the process dies, however it dies, so
/// while this process holds it no other live process is delivering from the same outbox.
public final class RunnerLock: Sendable {
    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The data directories this process holds, by standardised path. Locks are never given back:
    /// holding one for the process's life is what lets delivery trust it.
    private static let held = Mutex<[String: RunnerLock]>([:])

    static func key(_ dataDirectory: URL) -> String { dataDirectory.standardizedFileURL.path }

    /// Takes the lock, or returns the one this process holds already; throws when another process holds it.
    public static func acquire(dataDirectory: URL) throws -> RunnerLock {
        let key = key(dataDirectory)
        return try held.withLock { locks in
            if let mine = locks[key] { return mine }
            let path = key + "/ssp-intake.lock"
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw RunnerLockError(holder: nil, isHeld: false, path: path,
                                      message: "kan ikke åbne låsefilen \(path): \(DanishSystemError.reason(errno: errno))")
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let e = errno
                let holder = e == EWOULDBLOCK ? readPid(fd) : nil
                close(fd)
                guard e == EWOULDBLOCK else {
                    throw RunnerLockError(holder: nil, isHeld: false, path: path,
                                          message: "kan ikke låse \(path): \(DanishSystemError.reason(errno: e))")
                }
                throw RunnerLockError(holder: holder, isHeld: true, path: path,
                                      message: "en anden ssp-intake (\(holder.map { "pid \($0)" } ?? "pid ukendt")) kører allerede på datamappen "
                                        + "\(key); prøv igen, når den er færdig (låsen: \(path))")
            }
            // For people and for the next one refused: the pid is information, the flock is the lock.
            let text = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            let lock = RunnerLock(path: path, fd: fd)
            locks[key] = lock
            return lock
        }
    }

    /// True when this process holds the lock on `dataDirectory`.
    public static func isHeld(dataDirectory: URL) -> Bool {
        held.withLock { $0[key(dataDirectory)] != nil }
    }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
