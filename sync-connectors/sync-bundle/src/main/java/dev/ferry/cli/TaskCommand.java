package dev.ferry.cli;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.Runner;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import dev.ferry.engine.Tasks;
import dev.ferry.engine.state.JdbcStateStore;
import dev.ferry.engine.task.TaskStatusJson;
import dev.ferry.engine.task.TaskStatusText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code sync.jar task …}: the command-line face of {@link Tasks}. Every verb opens the state store
 * ({@code --state}, default {@code ./ferry-state}), so processes sharing it see the same tasks.
 *
 * <p>Exit codes: 0 done (a started task was stopped), 1 the task failed, 2 an invalid task file,
 * command line or refused operation (the reason is on standard error).
 */
final class TaskCommand {

    /** Where tasks live when {@code --state} is not given. */
    static final String DEFAULT_STATE = "ferry-state";
    /** How long {@code --wait} waits for an edit or rerun to reach Real-time Synchronization. */
    static final long WAIT_MILLIS = 3_600_000;

    private TaskCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            throw new Main.UsageException("task needs a verb: start, stop, edit, rerun, merge, backfill, status or list");
        }
        String verb = args.remove(0);
        String stateLocation = Optional.ofNullable(Main.option(args, "--state")).orElse(DEFAULT_STATE);
        boolean json = args.remove("--json");
        boolean wait = args.remove("--wait");
        String dateText = Main.option(args, "--date");
        String tablesText = Main.option(args, "--tables");
        JdbcStateStore state;
        try {
            state = JdbcStateStore.open(stateLocation);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.INVALID;
        } catch (SyncException e) {
            err.println("cannot open --state " + stateLocation + ": " + e.getMessage());
            return Main.INVALID;
        }
        SyncEngine engine = SyncEngine.builder().stateStore(state).build();
        boolean closeHere = true;
        try {
            Tasks tasks = engine.tasks();
            switch (verb) {
                case "start" -> {
                    String file = single(args, "task start needs exactly one task file");
                    Runner runner = RunnerOption.ofFile(Path.of(file));
                    if (runner.isFlink()) {
                        try {
                            FlinkClasses.require("settings.runner '" + runner.kind().key() + "'");
                        } catch (FlinkClasses.MissingFlink e) {
                            err.println(e.getMessage());
                            return Main.INVALID;
                        }
                    }
                    TaskHandle handle = tasks.start(Path.of(file));
                    closeHere = false;
                    return Main.foreground(handle::stop, () -> ended(handle.await(), out, err), out, err, engine, state);
                }
                case "stop" -> {
                    String name = single(args, "task stop needs exactly one task name");
                    known(tasks, name);
                    out.println(tasks.stop(name) ? "Task '" + name + "' is stopping: its runner checkpoints and ends"
                            : "Task '" + name + "' is not running");
                    if (wait) {
                        awaitStatus(tasks, name, s -> s.status() != TaskState.RUNNING);
                    }
                    return Main.OK;
                }
                case "edit" -> {
                    String file = single(args, "task edit needs exactly one task file");
                    int version = tasks.edit(Path.of(file));
                    out.println("Committed version " + version + ": a running task applies it now, a stopped one at "
                            + "its next start");
                    if (wait) {
                        return awaitRealtime(tasks, engine.parseTask(Path.of(file)).name(), version, out, err);
                    }
                    return Main.OK;
                }
                case "rerun" -> {
                    String name = single(args, "task rerun needs exactly one task name");
                    String before = known(tasks, name).stages().stream().filter(s -> s.name() == TaskStage.REALTIME)
                            .map(s -> s.position()).filter(p -> p != null).findFirst().orElse(null);
                    Optional<TaskStatus> foreground = tasks.rerun(name, wait);
                    if (foreground.isPresent()) {
                        out.print(TaskStatusText.render(foreground.get()));
                        return foreground.get().status() == TaskState.FAILED ? Main.JOB_FAILED : Main.OK;
                    }
                    out.println("Task '" + name + "' is rerunning: its runner copies every table again");
                    if (wait) {
                        TaskStatus status = awaitStatus(tasks, name, s -> s.status() != TaskState.RUNNING
                                || (streaming(s) && !java.util.Objects.equals(before, s.stage(TaskStage.REALTIME).position())));
                        out.print(TaskStatusText.render(status));
                        return status.status() == TaskState.FAILED ? Main.JOB_FAILED : Main.OK;
                    }
                    return Main.OK;
                }
                case "merge" -> {
                    String name = single(args, "task merge needs exactly one task name");
                    LocalDate date = date(dateText, "merge");
                    known(tasks, name);
                    Instant asked = Instant.now();
                    Optional<MergeInstance> foreground;
                    try {
                        foreground = tasks.merge(name, date, wait);
                    } catch (SyncException e) {
                        // A merge that began and failed (its previous partition missing, the target
                        // failing) failed as an operation; one refused before it began was invalid.
                        Optional<MergeInstance> failed = tasks.mergeOf(name, date).filter(m -> m.status()
                                == StageState.FAILED && !m.startedAt().isBefore(asked.minusSeconds(5)));
                        if (failed.isEmpty()) {
                            throw e;
                        }
                        foreground = failed;
                    }
                    MergeInstance merge = foreground.orElse(null);
                    if (merge == null) {
                        out.println("Task '" + name + "': its runner merges " + date);
                        if (!wait) {
                            return Main.OK;
                        }
                        merge = awaitEnded(() -> tasks.mergeOf(name, date), asked, "the merge of " + date);
                    }
                    out.println("Incremental Merge of " + merge.date() + ": " + merge.status() + ", " + merge.rows()
                            + " rows" + (merge.error() == null ? "" : ": " + merge.error()));
                    return merge.status() == StageState.DONE ? Main.OK : Main.JOB_FAILED;
                }
                case "backfill" -> {
                    String name = single(args, "task backfill needs exactly one task name");
                    LocalDate date = date(dateText, "backfill");
                    known(tasks, name);
                    Set<String> tables = tablesText == null ? Set.of() : Set.of(tablesText.split(","));
                    Instant asked = Instant.now();
                    Optional<JobReport> foreground = tasks.backfill(name, date, tables, wait);
                    if (foreground.isPresent()) {
                        out.println("Full Data Backfill of " + date + ": " + foreground.get().status() + ", "
                                + foreground.get().recordsWritten() + " rows");
                        return Main.OK;
                    }
                    out.println("Task '" + name + "': its runner backfills " + date);
                    if (!wait) {
                        return Main.OK;
                    }
                    MergeInstance backfill = awaitEnded(() -> tasks.backfillOf(name, date), asked,
                            "the backfill of " + date);
                    out.println("Full Data Backfill of " + date + ": " + backfill.status() + ", " + backfill.rows()
                            + " rows" + (backfill.error() == null ? "" : ": " + backfill.error()));
                    return backfill.status() == StageState.DONE ? Main.OK : Main.JOB_FAILED;
                }
                case "status" -> {
                    String name = single(args, "task status needs exactly one task name");
                    TaskStatus status = known(tasks, name);
                    out.print(json ? TaskStatusJson.writePretty(status) + "\n" : TaskStatusText.render(status));
                    if (!json) {
                        List<dev.ferry.api.task.TaskRunRecord> runs = tasks.history(name);
                        out.println("  Runs (" + runs.size() + ", the last 5):");
                        for (dev.ferry.api.task.TaskRunRecord run : runs.subList(Math.max(0, runs.size() - 5), runs.size())) {
                            out.printf("    %s .. %s  version %d  %-8s %s%s%n", run.started(), run.ended(), run.version(),
                                    run.status(), run.runner(), run.error() == null ? "" : "  " + run.error());
                        }
                    }
                    return Main.OK;
                }
                case "list" -> {
                    if (!args.isEmpty()) {
                        throw new Main.UsageException("task list takes no arguments, got " + args);
                    }
                    for (String name : tasks.names()) {
                        TaskStatus status = tasks.status(name).orElseThrow();
                        out.printf("%-24s version %-4d %s%n", name, status.version(), status.status());
                    }
                    return Main.OK;
                }
                default -> throw new Main.UsageException("unknown task verb '" + verb + "'");
            }
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.INVALID;
        } catch (SyncException e) {
            err.println(e.getMessage());
            return e.kind() == dev.ferry.api.error.ErrorKind.CONFIGURATION ? Main.INVALID : Main.JOB_FAILED;
        } finally {
            if (closeHere) {
                engine.close();
                state.close();
            }
        }
    }

    private static int ended(TaskStatus status, PrintStream out, PrintStream err) {
        out.print(TaskStatusText.render(status));
        if (status.status() == TaskState.FAILED) {
            err.println("Task '" + status.name() + "' FAILED: " + status.error());
            return Main.JOB_FAILED;
        }
        return Main.OK;
    }

    private static TaskStatus known(Tasks tasks, String name) {
        return tasks.status(name).orElseThrow(() -> new ConfigException("task", List.of(new dev.ferry.api.error.Violation(
                "task", "must name a task of this state store (" + (tasks.names().isEmpty() ? "it has none" : "known: "
                        + String.join(", ", tasks.names())) + ")", "'" + name + "'"))));
    }

    /** Waits until the task streams on {@code version} (any version when 0), or stopped running. */
    private static int awaitRealtime(Tasks tasks, String name, int version, PrintStream out, PrintStream err) {
        TaskStatus status = awaitStatus(tasks, name, s -> s.status() != TaskState.RUNNING
                || (s.version() >= version && streaming(s)));
        out.print(TaskStatusText.render(status));
        return status.status() == TaskState.FAILED ? Main.JOB_FAILED : Main.OK;
    }

    private static boolean streaming(TaskStatus s) {
        return s.stage(TaskStage.REALTIME).status() == StageState.RUNNING
                && s.stage(TaskStage.FULL_INITIALIZATION).status() == StageState.DONE;
    }

    private static TaskStatus awaitStatus(Tasks tasks, String name, Predicate<TaskStatus> done) {
        TaskStatus[] last = new TaskStatus[1];
        return poll(() -> {
            last[0] = tasks.status(name).orElseThrow();
            return Optional.of(last[0]).filter(done);
        }).orElseGet(() -> last[0]);
    }

    /** {@code --date YYYY-MM-DD}, required. */
    private static LocalDate date(String text, String verb) {
        if (text == null) {
            throw new Main.UsageException("task " + verb + " needs --date YYYY-MM-DD (the Business Date to write)");
        }
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("task", List.of(new dev.ferry.api.error.Violation("--date", "must be a date "
                    + "YYYY-MM-DD", "'" + text + "'")));
        }
    }

    /**
     * Waits until the operation that {@code lookup} finds (a merge, a backfill of one date), begun
     * after {@code asked}, has ended.
     */
    private static MergeInstance awaitEnded(Supplier<Optional<MergeInstance>> lookup, Instant asked, String what) {
        return poll(() -> lookup.get().filter(m -> !m.startedAt().isBefore(asked.minusSeconds(5))
                && m.status() != StageState.RUNNING)).orElseThrow(() -> new SyncException(
                        dev.ferry.api.error.ErrorKind.EXTERNAL, what + " did not end within " + WAIT_MILLIS / 1000 + " s"));
    }

    /**
     * Asks {@code probe} every 200 ms until it answers, for at most {@link #WAIT_MILLIS}; empty when
     * it never did or the thread was interrupted.
     */
    private static <T> Optional<T> poll(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent() || System.nanoTime() > deadline) {
                return answer;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static String single(List<String> args, String message) {
        List<String> rest = new ArrayList<>(args);
        for (String arg : rest) {
            if (arg.startsWith("--")) {
                throw new Main.UsageException("unknown option " + arg);
            }
        }
        if (rest.size() != 1) {
            throw new Main.UsageException(message);
        }
        return rest.get(0);
    }
}
