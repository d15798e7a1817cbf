package dev.ferry.engine.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.Split;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plan of one table's copy: the splits planned for it under a design, kept so that a copy
 * interrupted midway resumes with the same splits. Kept as JSON a person can read, each split as
 * its record's class and fields: the designs under the plan's key, and the splits in pages of
 * {@value #PAGE} under {@code KEY/splits/NNNNN}, so that ten thousand splits stay within a state
 * value's size (a million characters in the embedded store).
 *
 * @param design      the source's {@link dev.ferry.api.SupportsSplitResume#splitDesign()}
 * @param writeDesign the target's {@link dev.ferry.api.SupportsSplitLedger#writeDesign()}, or null
 *                    where the splits written are kept in the state store
 * @param ledger      the id of the target's split ledger, or null likewise
 * @param splits      every split planned, in order
 */
record CopyProgress(String design, String writeDesign, String ledger, List<Split> splits) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Splits per stored page: about 100 kB of JSON for key ranges. */
    static final int PAGE = 500;

    CopyProgress {
        splits = List.copyOf(splits);
    }

    /** A plan whose written splits are kept in the state store. */
    CopyProgress(String design, List<Split> splits) {
        this(design, null, null, splits);
    }

    /** The state entries of the plan kept under {@code key}: its header and its pages of splits. */
    Map<String, String> entries(String key) {
        Map<String, String> entries = new LinkedHashMap<>();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("design", design);
        if (writeDesign != null) {
            root.put("writeDesign", writeDesign);
            root.put("ledger", ledger);
        }
        int pages = (splits.size() + PAGE - 1) / PAGE;
        root.put("splits", splits.size());
        root.put("pages", pages);
        entries.put(key, root.toString());
        for (int page = 0; page < pages; page++) {
            ArrayNode planned = MAPPER.createArrayNode();
            for (Split split : splits.subList(page * PAGE, Math.min(splits.size(), (page + 1) * PAGE))) {
                planned.add(SplitJson.toTree(split));
            }
            entries.put(pageKey(key, page), planned.toString());
        }
        return entries;
    }

    private static String pageKey(String key, int page) {
        return key + "/splits/" + String.format(Locale.ROOT, "%05d", page);
    }

    /**
     * Reads the plan {@link #entries} kept under {@code key}, loading split classes through
     * {@code loader} (the source's). Also reads a plan kept whole under the key, with its splits
     * in the header, as earlier versions kept it.
     *
     * @return null when none is kept
     * @throws SyncException when the text or a split cannot be read
     */
    static CopyProgress read(StateStore store, String key, ClassLoader loader) {
        String header = store.get(key).orElse(null);
        if (header == null) {
            return null;
        }
        String reading = header;
        try {
            JsonNode root = MAPPER.readTree(header);
            List<Split> splits = new ArrayList<>();
            if (root.path("splits").isArray()) {
                readSplits(root.path("splits"), loader, splits);
            } else {
                int pages = root.path("pages").asInt();
                for (int page = 0; page < pages; page++) {
                    String pageKey = pageKey(key, page);
                    reading = store.get(pageKey).orElseThrow(() -> new IllegalArgumentException(pageKey + " is missing"));
                    readSplits(MAPPER.readTree(reading), loader, splits);
                }
                if (splits.size() != root.path("splits").asInt()) {
                    throw new IllegalArgumentException("the pages hold " + splits.size() + " splits, the plan "
                            + root.path("splits").asInt());
                }
            }
            return new CopyProgress(root.path("design").asText(), text(root, "writeDesign"), text(root, "ledger"),
                    splits);
        } catch (JsonProcessingException | ClassNotFoundException | RuntimeException e) {
            String shown = reading.length() > 300 ? reading.substring(0, 300) + "..." : reading;
            throw new SyncException(ErrorKind.INTERNAL, "the stored progress of a copy under '" + key + "' cannot be "
                    + "read (" + e.getMessage() + "): " + shown, e);
        }
    }

    private static void readSplits(JsonNode array, ClassLoader loader, List<Split> into)
            throws ClassNotFoundException, JsonProcessingException {
        for (JsonNode node : array) {
            into.add(SplitJson.fromTree(node, loader));
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
