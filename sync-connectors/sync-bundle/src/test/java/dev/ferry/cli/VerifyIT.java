package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} and {@code settings.verify} against the real servers: copies from PostgreSQL to
 * PostgreSQL and to MariaDB verify equal, with values whose text differs between the databases
 * (numeric scale, floats, zoned timestamps, padded {@code char}, NULL next to the empty string);
 * a target row changed, deleted and added is reported in its split and named by {@code --details}.
 */
class VerifyIT {

    private static final String PG = StreamJar.POSTGRES_SOURCE;
    private static final String MARIADB = StreamJar.MARIADB_SOURCE;

    @TempDir
    Path dir;

    private final String source = StreamJar.uniqueName("verify_src");
    private final String target = StreamJar.uniqueName("verify_dst");

    private record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeEach
    void createSource() {
        StreamJar.assumeReachable(PG);
        StreamJar.assumeReachable(MARIADB);
        StreamJar.execute(PG, "CREATE TABLE " + source + " (id bigint PRIMARY KEY, amount numeric(10,2), exact numeric, "
                        + "ratio double precision, code char(5), note text, seen timestamptz, day date, at time, flag boolean, "
                        + "payload bytea, doc jsonb)",
                "INSERT INTO " + source + " SELECT g, " + orNull("g * 1.5") + ", " + orNull("g * 1.10") + ", "
                        + orNull("CASE WHEN g = 3 THEN '-0'::float8 ELSE g / 7.0 END") + ", "
                        + orNull("CASE WHEN g % 3 = 0 THEN 'ab' END") + ", "
                        + "CASE WHEN g % 5 = 0 THEN '' WHEN g % 5 = 1 THEN NULL ELSE 'n' || g || E'\\t\\\\x\\n ' END, "
                        + orNull("timestamptz '2020-03-01 10:00:00+05' + g * interval '1 minute 0.000123 second'") + ", "
                        + orNull("date '2021-01-01' + g") + ", " + orNull("time '10:00' + g * interval '1.5 second'") + ", "
                        + orNull("g % 2 = 0") + ", " + orNull("decode(lpad(to_hex(g), 4, '0'), 'hex')") + ", "
                        + orNull("jsonb_build_object('k', g, 'text', 'a b')")
                        + " FROM generate_series(1, 400) g");
    }

    /** Every 97th row is NULL in every column but the key. */
    private static String orNull(String expression) {
        return "CASE WHEN g % 97 = 0 THEN NULL ELSE " + expression + " END";
    }

    @AfterEach
    void dropTables() {
        StreamJar.execute(PG, "DROP TABLE IF EXISTS " + source, "DROP TABLE IF EXISTS " + target);
        StreamJar.execute(MARIADB, "DROP TABLE IF EXISTS " + target);
    }

    private Run sync(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path job(String connector, String url, String settings, String targetExtra) throws IOException {
        return job(connector, url, settings, targetExtra, "");
    }

    private Path job(String connector, String url, String settings, String targetExtra, String sourceExtra)
            throws IOException {
        Path file = dir.resolve(connector + "-" + Math.abs((settings + sourceExtra).hashCode()) + ".json");
        Files.writeString(file, """
                {"name": "verify-it",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "table": "%s",
                            "splitPk": "id", "splitCount": 4 %s},
                 "target": {"connector": "%s", "url": "%s", "username": "root", "table": "%s",
                            "createTable": true %s},
                 "settings": {"concurrency": 2 %s}}
                """.formatted(PG, source, sourceExtra, connector, url, target, targetExtra, settings));
        return file;
    }

    @Test
    void postgresToPostgresVerifiesEqualThenNamesTheChangedDeletedAndAddedKeys() throws Exception {
        Path job = job("postgresql", PG, "", "");
        Run copy = sync("run", job.toString());
        assertEquals(0, copy.exitCode(), copy.all());

        Run equal = sync("verify", job.toString());
        assertEquals(0, equal.exitCode(), equal.all());
        assertTrue(equal.out().contains("source and target are equal"), equal.all());
        assertTrue(equal.out().contains("400 rows at the source"), equal.all());
        assertTrue(equal.out().contains("hashing: source database, target database"), equal.all());

        StreamJar.execute(PG, "UPDATE " + target + " SET note = note || '!' WHERE id = 50",
                "DELETE FROM " + target + " WHERE id = 390",
                "INSERT INTO " + target + " (id, amount) VALUES (1000, 1)");
        Run differs = sync("verify", job.toString());
        assertEquals(1, differs.exitCode(), differs.all());
        assertTrue(differs.out().contains(" different "), differs.all());
        assertTrue(differs.out().contains("3 split(s) differ") || differs.out().contains("2 split(s) differ"),
                differs.all());
        assertFalse(differs.out().contains("key 50"), "keys are named only with --details: " + differs.all());

        Run details = sync("verify", job.toString(), "--details");
        assertEquals(1, details.exitCode(), details.all());
        assertTrue(details.out().contains("key 50 different"), details.all());
        assertTrue(details.out().contains("key 390 missing"), details.all());
        assertTrue(details.out().contains("key 1000 extra"), details.all());
    }

    @Test
    void detailsAreBoundedAndSayHowManyMore() throws Exception {
        Path job = job("postgresql", PG, "", "");
        assertEquals(0, sync("run", job.toString()).exitCode());
        StreamJar.execute(PG, "UPDATE " + target + " SET ratio = ratio + 1 WHERE id BETWEEN 1 AND 30");
        Run details = sync("verify", job.toString(), "--details", "--max-keys", "5");
        assertEquals(1, details.exitCode(), details.all());
        assertTrue(details.out().contains("key 5 different") && !details.out().contains("key 6 different"), details.all());
        assertTrue(details.out().contains("and 25 more differing key(s)"), details.all());
    }

    @Test
    void postgresToMariaDbVerifiesEqualAcrossTheDatabasesTextForms() throws Exception {
        Path job = job("mariadb", MARIADB, ", \"verify\": true", "");
        Path report = dir.resolve("report.json");
        Run copy = sync("run", job.toString(), "--report", report.toString());
        assertEquals(0, copy.exitCode(), copy.all());
        assertTrue(Files.readString(report).contains("\"matches\" : true"), Files.readString(report));

        Run equal = sync("verify", job.toString());
        assertEquals(0, equal.exitCode(), equal.all());
        assertTrue(equal.out().contains("hashing: source database, target java"),
                "PostgreSQL's digest statement agrees with the rows MariaDB gives, hashed in Java: " + equal.all());

        StreamJar.execute(MARIADB, "UPDATE " + target + " SET amount = amount + 0.01 WHERE id = 7");
        Run details = sync("verify", job.toString(), "--details");
        assertEquals(1, details.exitCode(), details.all());
        assertTrue(details.out().contains("key 7 different"), details.all());
    }

    @Test
    void mariaDbChecksumsItsRowsItselfAndAgreesWithPostgresql() throws Exception {
        Path job = job("mariadb", MARIADB, "", "", ", \"columns\": [\"id\", \"amount\", \"exact\", \"code\", \"note\", "
                + "\"seen\", \"day\", \"flag\", \"payload\"]");
        assertEquals(0, sync("run", job.toString()).exitCode());
        Run equal = sync("verify", job.toString());
        assertEquals(0, equal.exitCode(), equal.all());
        assertTrue(equal.out().contains("hashing: source database, target database"), equal.all());

        StreamJar.execute(MARIADB, "UPDATE " + target + " SET note = CONCAT(note, ' ') WHERE id = 12",
                "UPDATE " + target + " SET seen = seen + INTERVAL 1 MICROSECOND WHERE id = 222");
        Run differs = sync("verify", job.toString(), "--details");
        assertEquals(1, differs.exitCode(), differs.all());
        assertTrue(differs.out().contains("key 12 different") && differs.out().contains("key 222 different"),
                differs.all());
    }

    @Test
    void settingsVerifyFailsAJobWhosePostSqlTamperedWithTheTarget() throws Exception {
        Path job = job("postgresql", PG, ", \"verify\": true", ", \"postSql\": \"DELETE FROM " + target + " WHERE id = 200\"");
        Path report = dir.resolve("report.json");
        Run run = sync("run", job.toString(), "--report", report.toString());
        assertEquals(1, run.exitCode(), run.all());
        assertTrue(run.err().contains("FAILED in stage VERIFY"), run.all());
        assertTrue(run.err().contains("missing rows (source "), run.all());
        String json = Files.readString(report);
        assertTrue(json.contains("\"failedStage\" : \"VERIFY\""), json);
        assertTrue(json.contains("\"outcome\" : \"MISSING_ROWS\""), json);
    }

    @Test
    void aTargetThatCannotBeReadBackIsRefusedNamingTheKey() throws Exception {
        Path job = dir.resolve("blackhole.json");
        Files.writeString(job, """
                {"name": "verify-it", "source": {"connector": "postgresql", "url": "%s", "username": "root",
                 "table": "%s"}, "target": {"connector": "blackhole"}}
                """.formatted(PG, source));
        Run run = sync("verify", job.toString());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("target.connector cannot be verified"), run.all());
        assertTrue(run.err().contains("'blackhole'"), run.all());
    }
}
