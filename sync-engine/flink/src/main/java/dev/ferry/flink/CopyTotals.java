package dev.ferry.flink;

import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobReport;
import java.io.Serializable;
import java.util.List;

/**
 * What the enumerator counted of a copy on Flink, sent to the client in an accumulator: the same
 * numbers a local run's report holds.
 *
 * @param recordsRead    records the source produced, dirty ones included
 * @param recordsWritten records the target accepted
 * @param bytes          bytes of the records read
 * @param dirty          dirty records, read and written
 * @param splits         every split with the records it read, in plan order
 * @param splitTables    the index of each split's table, in the same order
 * @param stages         PRE, SPLIT, SYNC and POST with their durations
 * @param syncMillis     the SYNC stage's duration, for the speeds
 * @param dirtySamples   the first dirty records
 * @param warnings       what connectors warned of while planning
 * @param parallelism    the readers and writers that ran
 */
record CopyTotals(long recordsRead, long recordsWritten, long bytes, long dirty, List<JobReport.SplitReport> splits,
                  List<Integer> splitTables, List<JobReport.StageTiming> stages, long syncMillis, List<DirtyRecord> dirtySamples,
                  List<String> warnings, int parallelism) implements Serializable {

    CopyTotals {
        splits = List.copyOf(splits);
        splitTables = List.copyOf(splitTables);
        stages = List.copyOf(stages);
        dirtySamples = List.copyOf(dirtySamples);
        warnings = List.copyOf(warnings);
    }
}
