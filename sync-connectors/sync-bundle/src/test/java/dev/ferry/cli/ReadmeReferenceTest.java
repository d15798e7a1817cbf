package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's job-file reference must be exactly what the code declares. */
class ReadmeReferenceTest {

    @Test
    void readmeReferenceMatchesTheCode() throws Exception {
        Path readme = Path.of("../../README.md");
        assertTrue(Files.exists(readme), "README.md not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(readme).replace("\r\n", "\n");
        int start = text.indexOf(Reference.START);
        int end = text.indexOf(Reference.END);
        assertTrue(start >= 0 && end > start, "README.md must hold the generated reference between its markers");
        String documented = text.substring(start, end + Reference.END.length()) + "\n";
        String generated;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            generated = Reference.markdown(engine.connectors());
        }
        assertEquals(generated, documented,
                "README.md's reference is stale: regenerate it with 'java -jar sync.jar connectors --markdown'");
    }
}
