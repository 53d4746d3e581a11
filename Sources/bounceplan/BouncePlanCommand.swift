import ArgumentParser

/// The `bounceplan` command line: a thin layer over the store, planner and classifier modules.
@main
struct BouncePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounceplan",
        abstract: "Turn bounce events in PostgreSQL into suppression lists, retry schedules and rate limits.",
        discussion: """
            Run nightly after campaigns: `bounceplan migrate` once, then `bounceplan run`.
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables and defaults.
            Exit status: 0 success, 1 failure, 2 usage error, 75 another run holds the lock.
            """,
        version: BouncePlanVersion.current,
        subcommands: [
            MigrateCommand.self,
            RunCommand.self,
            ClassifyCommand.self,
            RulesCommand.self,
            BenchClassifyCommand.self,
        ]
    )
}

/// The program version recorded in every `plan_runs` row.
enum BouncePlanVersion {
    static let current = "0.1.0"
}
