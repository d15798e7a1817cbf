package dev.ferry.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.engine.runtime.SplitJson;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Splits in Flink's messages and checkpoints: version 1 is JSON, the split's own form
 * ({@link SplitJson}: its record's class and fields) plus its table's index, so a split written by
 * one version of a connector stays readable while its record's fields do, and no Java
 * serialisation of connector classes is involved.
 */
final class SplitSerializer implements SimpleVersionedSerializer<FerrySplit> {

    static final SplitSerializer INSTANCE = new SplitSerializer();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FerrySplit split) throws IOException {
        return MAPPER.writeValueAsBytes(toTree(split));
    }

    @Override
    public FerrySplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("a Ferry split of serialisation version " + version + " cannot be read by this "
                    + "version, which reads version " + VERSION);
        }
        return fromTree(MAPPER.readTree(serialized));
    }

    static ObjectNode toTree(FerrySplit split) {
        ObjectNode node = SplitJson.toTree(split.split());
        node.put("table", split.table());
        return node;
    }

    static FerrySplit fromTree(JsonNode node) throws IOException {
        try {
            return new FerrySplit(node.path("table").asInt(), SplitJson.fromTree(node,
                    SplitSerializer.class.getClassLoader()));
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new IOException("a Ferry split cannot be read (" + e + "): " + node, e);
        }
    }
}
