package dev.ferry.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.net.URI;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole-database task whose Full Initialization runs on a Flink cluster (a MiniCluster reached
 * through its REST endpoint, the same remote path as a standalone cluster): the task's process
 * keeps the slot's snapshot and prepares the target tables, Flink copies the splits, and real-time
 * synchronisation then continues locally from the snapshot's position, so the target converges on
 * the source with changes made during and after the copy.
 */
class FlinkTaskIT {

    private static MiniCluster flink;

    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private static final int[] ROWS = {3000, 2000, 1000};
    private final String task = TestDatabase.uniqueName("flink_task");
    private final String sourceSchema = task + "_src";
    private final String targetSchema = task + "_dst";

    /** A cluster reached only through its REST endpoint, as a standalone session cluster is. */
    @BeforeAll
    static void startCluster() throws Exception {
        flink = new MiniCluster(new MiniClusterConfiguration.Builder().setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4).build());
        flink.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @BeforeEach
    void setUp() {
        PG.assumeReachable();
        PG.execute("CREATE SCHEMA " + sourceSchema, "CREATE SCHEMA " + targetSchema);
        for (int t = 0; t < ROWS.length; t++) {
            PG.execute("CREATE TABLE " + sourceSchema + ".t" + t + " (id bigint PRIMARY KEY, v int, name text)",
                    "INSERT INTO " + sourceSchema + ".t" + t + " SELECT g, g % 97, 'row ' || g FROM generate_series(1, "
                            + ROWS[t] + ") g");
        }
    }

    @AfterEach
    void tearDown() {
        PG.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + task
                        + "' AND NOT active",
                "DROP PUBLICATION IF EXISTS " + task,
                "DROP SCHEMA IF EXISTS " + sourceSchema + " CASCADE", "DROP SCHEMA IF EXISTS " + targetSchema + " CASCADE");
    }

    @Test
    void theFullInitializationRunsOnFlinkAndRealTimeSyncContinuesFromItsSnapshot() throws Exception {
        URI rest = flink.getRestAddress().get();
        String master = rest.getHost() + ":" + rest.getPort();
        String taskFile = """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "tables": ["%s.*"],
                            "capture": {"slot": "%s", "publication": "%s", "heartbeatIntervalMillis": 200}},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root", "kind": "upsert",
                            "schema": "%s"},
                 "realtime": true,
                 "settings": {"concurrency": 2, "runner": "flink", "flinkMaster": "%s",
                              "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, PG.url(), sourceSchema, task, task, PG.url(), targetSchema, master);
        try (SyncEngine engine = SyncEngine.builder().build()) {
            TaskHandle handle = engine.tasks().start(taskFile);
            TaskStatus status = await(handle, s -> s.stage(TaskStage.REALTIME).status() == StageState.RUNNING
                    && s.stage(TaskStage.FULL_INITIALIZATION).status() == StageState.DONE);
            assertEquals(3, status.stage(TaskStage.FULL_INITIALIZATION).tables().size(), status.toString());

            List<String> jobs = flink.listJobs().get().stream().map(JobStatusMessage::getJobName).toList();
            assertEquals(List.of("ferry: " + task), jobs, "the copy ran on the Flink cluster");

            PG.execute("UPDATE " + sourceSchema + ".t0 SET v = v + 1000 WHERE id % 10 = 0",
                    "DELETE FROM " + sourceSchema + ".t1 WHERE id > 1900",
                    "INSERT INTO " + sourceSchema + ".t2 SELECT g, 1, 'late' FROM generate_series(5001, 5100) g");
            for (int t = 0; t < ROWS.length; t++) {
                awaitEqual("t" + t);
            }
            handle.stop();
            assertEquals(TaskState.STOPPED, handle.await().status());
        }
    }

    private void awaitEqual(String table) {
        String sql = "SELECT count(*), coalesce(sum(id * 31 + v), 0), coalesce(sum(length(name)), 0) FROM ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!PG.rows(sql + sourceSchema + "." + table).equals(PG.rows(sql + targetSchema + "." + table))) {
            assertTrue(System.nanoTime() < deadline, table + ": the target did not converge: source "
                    + PG.rows(sql + sourceSchema + "." + table) + ", target " + PG.rows(sql + targetSchema + "." + table));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Waits (polling the task's status, which has no event to wait on) for the task to reach a state. */
    private static TaskStatus await(TaskHandle task, Predicate<TaskStatus> reached) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            TaskStatus status = task.status();
            if (reached.test(status)) {
                return status;
            }
            if (task.completion().isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("task '" + task.name() + "' is " + status.status() + (status.error() == null
                        ? "" : ": " + status.error()) + " " + status);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
