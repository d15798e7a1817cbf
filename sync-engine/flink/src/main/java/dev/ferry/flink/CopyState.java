package dev.ferry.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The enumerator's checkpoint: the splits not yet committed.
 *
 * @param unfinished splits waiting for a reader or being copied
 */
record CopyState(List<FerrySplit> unfinished) {

    CopyState {
        unfinished = List.copyOf(unfinished);
    }

    /** Version 1: a JSON array of the splits' forms ({@link SplitSerializer}). */
    static final class Serializer implements SimpleVersionedSerializer<CopyState> {

        static final Serializer INSTANCE = new Serializer();
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(CopyState state) throws IOException {
            ArrayNode array = MAPPER.createArrayNode();
            state.unfinished().forEach(split -> array.add(SplitSerializer.toTree(split)));
            return MAPPER.writeValueAsBytes(array);
        }

        @Override
        public CopyState deserialize(int version, byte[] serialized) throws IOException {
            if (version != VERSION) {
                throw new IOException("a Ferry enumerator checkpoint of version " + version + " cannot be read by this "
                        + "version, which reads version " + VERSION);
            }
            List<FerrySplit> splits = new ArrayList<>();
            for (JsonNode node : MAPPER.readTree(serialized)) {
                splits.add(SplitSerializer.fromTree(node));
            }
            return new CopyState(splits);
        }
    }
}
