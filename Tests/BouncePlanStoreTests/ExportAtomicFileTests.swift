import BouncePlanStore
import Foundation
import Postgres
import Testing

@Suite("Atomic output files")
struct ExportAtomicFileTests {
    struct Boom: Error {}

    @Test func completeFileAndNoTemporaryLeft() throws {
        let folder = try ScratchFolder()
        let path = folder.file("out.csv")
        let big = String(repeating: "0123456789abcdef\r\n", count: 20_000)
        try AtomicFile.write(to: path) { try $0.write(big) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == big)
        #expect(folder.entries == ["out.csv"])
    }

    @Test func failureLeavesTheOldFileIntactAndNoTemporary() throws {
        let folder = try ScratchFolder()
        let path = folder.file("out.csv")
        try "old content\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: path) { writer in
                try writer.write(String(repeating: "x", count: 200_000))
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old content\n")
        #expect(folder.entries == ["out.csv"])
    }

    @Test func aFailingExportQueryLeavesTheOldFile() throws {
        let fixture = try StoreFixture()
        let folder = try ScratchFolder()
        let path = folder.file("suppressions.csv")
        try "previous export\r\n".write(toFile: path, atomically: false, encoding: .utf8)
        let query = ExportQuery.suppressions(SuppressionExportOptions(since: "not a time"), format: .csv)
        #expect(throws: PostgresError.self) {
            try AtomicFile.write(to: path) { try Exporter(connection: fixture.connection).export(query, format: .csv, to: $0) }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous export\r\n")
        #expect(folder.entries == ["suppressions.csv"])
        // The connection is still usable afterwards.
        #expect(try fixture.count("SELECT 1") == 1)
    }

    @Test func unwritableFolderIsAClearError() throws {
        let error = #expect(throws: StoreError.self) {
            try AtomicFile.write(to: "/nonexistent-folder-bounceplan/out.csv") { try $0.write("x") }
        }
        #expect(error?.description.contains("/nonexistent-folder-bounceplan") == true)
    }

    /// Whether a copy of /dev/full made in a scratch folder behaves as the device: it needs root (and
    /// CAP_MKNOD), and a temporary folder on a file system mounted `nodev` refuses to open device nodes.
    /// Where it does not, the device tests are skipped with this reason shown, not failed.
    static let fullDeviceCopyWorks: Bool = {
        guard getuid() == 0, let folder = try? ScratchFolder() else { return false }
        let path = folder.file("probe")
        guard mknod(path, S_IFCHR | 0o666, (1 << 8) | 7) == 0 else { return false }
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return write(descriptor, &byte, 1) < 0 && errno == ENOSPC
    }()

    /// The type bits of what is at `path`, without following a symbolic link.
    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aFIFOIsWrittenStraightAndStaysAFIFO() throws {
        let folder = try ScratchFolder()
        let path = folder.file("pipe")
        try #require(mkfifo(path, 0o600) == 0)
        // A reader that never blocks: the writer's open succeeds, and the few bytes fit the pipe's buffer.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        try AtomicFile.write(to: path) { try $0.write("a,b\r\n1,2\r\n") }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "a,b\r\n1,2\r\n")
        #expect(Self.kind(path) == S_IFIFO)
        #expect(folder.entries == ["pipe"])
    }

    /// A copy of /dev/full (character device 1,7) in the test's own folder: every write fails.
    @Test(.enabled(if: fullDeviceCopyWorks, "needs root, CAP_MKNOD and a temporary folder without nodev"))
    func aFullDeviceFailsWithItsErrorAndStaysADevice() throws {
        let folder = try ScratchFolder()
        let path = folder.file("full")
        try #require(mknod(path, S_IFCHR | 0o666, (1 << 8) | 7) == 0)
        let error = #expect(throws: StoreError.self) {
            try AtomicFile.write(to: path) { try $0.write(String(repeating: "x", count: 1_000)) }
        }
        #expect(error?.description.contains("No space left on device") == true, "\(String(describing: error))")
        #expect(Self.kind(path) == S_IFCHR)
        #expect(folder.entries == ["full"])
    }

    @Test func aSymbolicLinkIsKeptAndItsTargetReplaced() throws {
        let folder = try ScratchFolder()
        let target = folder.file("real.csv"), link = folder.file("latest.csv")
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        try #require(symlink("real.csv", link) == 0)
        try AtomicFile.write(to: link) { try $0.write("new\n") }
        #expect(Self.kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(folder.entries == ["latest.csv", "real.csv"])
    }

    @Test func aFolderIsRefused() throws {
        let folder = try ScratchFolder()
        let path = folder.file("sub")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: StoreError.self) { try AtomicFile.write(to: path) { try $0.write("x") } }
        #expect(error?.description.contains("is a folder") == true)
        #expect(folder.entries == ["sub"])
    }
}
