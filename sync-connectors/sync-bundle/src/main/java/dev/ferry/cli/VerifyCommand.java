package dev.ferry.cli;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.verify.VerifyReport;
import dev.ferry.api.verify.VerifyReport.KeyDifference;
import dev.ferry.api.verify.VerifyReport.SplitCheck;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.ReportJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify JOB.json [--details] [--max-keys N] [--report FILE]}: compares a batch job's target
 * with its source and prints one line per split. Exit 0 when every split is equal, 1 when one is not
 * (or a side cannot be read), 2 when the job file or command line is invalid or the target cannot be
 * read back.
 */
final class VerifyCommand {

    /** Differing keys named per split with {@code --details} unless {@code --max-keys} says otherwise. */
    static final int DEFAULT_MAX_KEYS = 20;

    private VerifyCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean details = args.remove("--details");
        int maxKeys = Main.intOption(args, "--max-keys", DEFAULT_MAX_KEYS, 1);
        String reportPath = Main.option(args, "--report");
        String jobFile = Main.single(args, "verify needs exactly one job file");
        VerifyReport report;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobSpec spec = engine.parseJob(Path.of(jobFile));
            report = engine.verify(spec, details ? maxKeys : 0);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.INVALID;
        } catch (SyncException e) {
            err.println("verification failed: " + e.getMessage());
            return Main.JOB_FAILED;
        }
        print(report, out);
        if (reportPath != null) {
            try {
                Files.writeString(Path.of(reportPath), ReportJson.toString(report), StandardCharsets.UTF_8);
                out.println("Report written to " + reportPath);
            } catch (IOException e) {
                err.println("cannot write --report " + reportPath + ": " + e.getMessage());
                return Main.JOB_FAILED;
            }
        }
        return report.matches() ? Main.OK : Main.JOB_FAILED;
    }

    static void print(VerifyReport report, PrintStream out) {
        int width = "split".length();
        for (SplitCheck check : report.splits()) {
            width = Math.max(width, check.split().length());
        }
        String format = "%-" + width + "s  %-12s  %12s  %12s%n";
        out.printf(Locale.ROOT, format, "split", "outcome", "source rows", "target rows");
        for (SplitCheck check : report.splits()) {
            out.printf(Locale.ROOT, format, check.split(), outcome(check), check.sourceRows(), check.targetRows());
        }
        for (SplitCheck check : report.splits()) {
            if (check.keys().isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder("  ").append(check.split()).append(':');
            for (KeyDifference key : check.keys()) {
                line.append(" key ").append(key.key()).append(' ')
                        .append(key.outcome().name().toLowerCase(Locale.ROOT)).append(';');
            }
            if (check.moreKeys() > 0) {
                line.append(" and ").append(check.moreKeys()).append(" more differing key(s)");
            } else {
                line.setLength(line.length() - 1);
            }
            out.println(line);
        }
        report.notes().forEach(note -> out.println("note: " + note));
        int differing = report.mismatches().size();
        out.printf(Locale.ROOT, "%d split(s), %d rows at the source, verified in %d ms (hashing: source %s, target %s): %s%n",
                report.splits().size(), report.splits().stream().mapToLong(SplitCheck::sourceRows).sum(),
                report.durationMillis(), report.sourcePath(), report.targetPath(),
                differing == 0 ? "source and target are equal" : differing + " split(s) differ");
    }

    private static String outcome(SplitCheck check) {
        return check.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
