import BouncePlanStore
import Dispatch
import Foundation

/// What Ctrl-C (SIGINT) and SIGTERM do: remove the temporary files of unfinished atomic writes, say
/// what the interruption left behind when a command has said so, and end the program by the same
/// signal, so that a shell or systemd still sees an interrupted program (130, 143).
enum Interruption {
    /// Starts listening for the signals; call once, before any work.
    static func install() {
        for number in [SIGINT, SIGTERM] {
            // The source replaces the default action, which would end the program before cleaning up.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { end(by: number) }
            source.resume()
            Listeners.shared.keep(source)
        }
    }

    /// Runs `body`; a signal that arrives meanwhile prints `bounceplan: <message>` before the program ends.
    static func saying<Result>(_ message: String, _ body: () throws -> Result) rethrows -> Result {
        Listeners.shared.message = message
        defer { Listeners.shared.message = nil }
        return try body()
    }

    private static func end(by number: Int32) -> Never {
        AtomicFile.removeUnfinished()
        if let message = Listeners.shared.message {
            Diagnostics.error(message)
        }
        // Die of the signal itself. The dispatch thread running this blocks signals, so unblock it here.
        signal(number, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, number)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(number)
        exit(128 + number)
    }

    /// The signal sources (kept alive for the life of the program) and the message in force.
    private final class Listeners: @unchecked Sendable {
        static let shared = Listeners()
        private let lock = NSLock()
        private var sources: [any DispatchSourceSignal] = []
        private var current: String?

        func keep(_ source: any DispatchSourceSignal) { lock.withLock { sources.append(source) } }

        var message: String? {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
    }
}
