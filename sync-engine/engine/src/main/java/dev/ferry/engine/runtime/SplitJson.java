package dev.ferry.engine.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.Split;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.IOException;

/**
 * A {@link Split} as JSON a person can read: its record's class under {@code type} and its fields
 * under {@code split}. The form a copy's kept progress stores its splits in, and the form a
 * distributed runner sends and checkpoints them in, so that neither depends on Java serialisation
 * of connector classes.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class SplitJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SplitJson() {
    }

    /** {@code {"type": CLASS, "split": {FIELDS}}}. */
    public static ObjectNode toTree(Split split) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", split.getClass().getName()).set("split", MAPPER.valueToTree(split));
        return node;
    }

    /**
     * The split {@link #toTree} wrote, its class loaded through {@code loader} (the connector's).
     *
     * @throws ClassNotFoundException   when the class is not there
     * @throws IllegalArgumentException when the class is not a split
     */
    public static Split fromTree(JsonNode node, ClassLoader loader) throws ClassNotFoundException, JsonProcessingException {
        Class<?> type = Class.forName(node.path("type").asText(), false, loader);
        if (!Split.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a split");
        }
        return (Split) MAPPER.treeToValue(node.path("split"), type);
    }

    /** {@link #toTree} as UTF-8 bytes. */
    public static byte[] toBytes(Split split) {
        try {
            return MAPPER.writeValueAsBytes(toTree(split));
        } catch (JsonProcessingException e) {
            throw new SyncException(ErrorKind.INTERNAL, "split " + split.id() + " cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The split {@link #toBytes} wrote.
     *
     * @throws SyncException when the bytes are not such a split, naming what was read
     */
    public static Split fromBytes(byte[] bytes, ClassLoader loader) {
        try {
            return fromTree(MAPPER.readTree(bytes), loader);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            throw new SyncException(ErrorKind.INTERNAL, "a split cannot be read (" + e + "): "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text), e);
        }
    }
}
