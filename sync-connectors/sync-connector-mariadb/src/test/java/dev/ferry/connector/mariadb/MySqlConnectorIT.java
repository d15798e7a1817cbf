package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.job.JobReport;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import org.junit.jupiter.api.Test;

/** The {@code mysql} connector with a {@code jdbc:mysql:} URL, against the MariaDB server (same protocol). */
class MySqlConnectorIT {

    @Test
    void copiesWithMysqlUrls() {
        TestDatabase db = TestDatabase.MARIADB;
        db.assumeReachable();
        String src = TestDatabase.uniqueName("mysql_src");
        String dst = TestDatabase.uniqueName("mysql_dst");
        String url = "jdbc:mysql://127.0.0.1:3306/test";
        try {
            db.execute("CREATE TABLE " + src + " (id bigint primary key, v varchar(10))",
                    "CREATE TABLE " + dst + " (id bigint primary key, v varchar(10))",
                    "INSERT INTO " + src + " SELECT seq, CONCAT('v', seq) FROM seq_1_to_500",
                    "INSERT INTO " + dst + " VALUES (1, 'old')");
            try (SyncEngine engine = SyncEngine.builder().build()) {
                JobReport report = engine.newJob("mysql")
                        .source("mysql", db.options("url", url, "table", src, "splitPk", "id"))
                        .target("mysql", db.options("url", url, "table", dst, "writeMode", "upsert"))
                        .concurrency(2)
                        .run();
                assertTrue(report.isSuccess(), report.error());
            }
            assertEquals(500, db.queryLong("SELECT COUNT(*) FROM " + dst));
            assertEquals(1, db.queryLong("SELECT COUNT(*) FROM " + dst + " WHERE id = 1 AND v = 'v1'"));
        } finally {
            db.execute("DROP TABLE IF EXISTS " + src, "DROP TABLE IF EXISTS " + dst);
        }
    }
}
