package dev.ferry.engine.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.Split;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far one table's copy got: the splits planned for it under a design, and the records of each
 * split written so far. Kept as JSON a person can read; each split as its record's class and
 * fields.
 *
 * @param design  the source's {@link dev.ferry.api.SupportsSplitResume#splitDesign()}
 * @param splits  every split planned, in order
 * @param written records per written split id
 */
record CopyProgress(String design, List<Split> splits, Map<String, Long> written) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    CopyProgress {
        splits = List.copyOf(splits);
        written = Map.copyOf(written);
    }

    String write() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("design", design);
        ArrayNode planned = root.putArray("splits");
        for (Split split : splits) {
            planned.addObject().put("type", split.getClass().getName()).set("split", MAPPER.valueToTree(split));
        }
        ObjectNode done = root.putObject("written");
        new TreeMap<>(written).forEach(done::put);
        return root.toString();
    }

    /**
     * Reads {@link #write}'s form, loading split classes through {@code loader} (the source's).
     *
     * @return null for null
     * @throws SyncException when the text or a split cannot be read
     */
    static CopyProgress read(String json, ClassLoader loader) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode root = MAPPER.readTree(json);
            List<Split> splits = new ArrayList<>();
            for (JsonNode node : root.path("splits")) {
                Class<?> type = Class.forName(node.path("type").asText(), false, loader);
                if (!Split.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException(type.getName() + " is not a split");
                }
                splits.add((Split) MAPPER.treeToValue(node.path("split"), type));
            }
            Map<String, Long> written = new TreeMap<>();
            root.path("written").fields().forEachRemaining(e -> written.put(e.getKey(), e.getValue().asLong()));
            return new CopyProgress(root.path("design").asText(), splits, written);
        } catch (JsonProcessingException | ClassNotFoundException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "the stored progress of a table's copy cannot be read ("
                    + e.getMessage() + "): " + json, e);
        }
    }
}
