package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A merged file's parts follow the split ids, whatever order the channels finished them in. */
class MergeOrderTest {

    @Test
    void splitIdsSortWithNumbersComparedByValue() {
        List<String> ids = new ArrayList<>(List.of("rows[1000,1100)", "b.csv", "part10.csv", "rows[900,1000)",
                "a.csv", "part9.csv", "part09.csv#2", "a.csv#2"));
        ids.sort(FileTarget::naturalOrder);
        assertEquals(List.of("a.csv", "a.csv#2", "b.csv", "part9.csv", "part09.csv#2", "part10.csv",
                "rows[900,1000)", "rows[1000,1100)"), ids);
    }
}
