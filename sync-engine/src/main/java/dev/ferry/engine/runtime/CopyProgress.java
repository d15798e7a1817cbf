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

/**
 * The plan of one table's copy: the splits planned for it under a design, kept so that a copy
 * interrupted midway resumes with the same splits. Kept as JSON a person can read; each split as
 * its record's class and fields.
 *
 * @param design      the source's {@link dev.ferry.api.SupportsSplitResume#splitDesign()}
 * @param writeDesign the target's {@link dev.ferry.api.SupportsSplitLedger#writeDesign()}, or null
 *                    where the splits written are kept in the state store
 * @param ledger      the id of the target's split ledger, or null likewise
 * @param splits      every split planned, in order
 */
record CopyProgress(String design, String writeDesign, String ledger, List<Split> splits) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    CopyProgress {
        splits = List.copyOf(splits);
    }

    /** A plan whose written splits are kept in the state store. */
    CopyProgress(String design, List<Split> splits) {
        this(design, null, null, splits);
    }

    String write() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("design", design);
        if (writeDesign != null) {
            root.put("writeDesign", writeDesign);
            root.put("ledger", ledger);
        }
        ArrayNode planned = root.putArray("splits");
        for (Split split : splits) {
            planned.addObject().put("type", split.getClass().getName()).set("split", MAPPER.valueToTree(split));
        }
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
            return new CopyProgress(root.path("design").asText(), text(root, "writeDesign"), text(root, "ledger"),
                    splits);
        } catch (JsonProcessingException | ClassNotFoundException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "the stored progress of a table's copy cannot be read ("
                    + e.getMessage() + "): " + json, e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
