package dev.ferry.flink;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's type for {@link Chunk}s. Chunks never leave their operator chain: its serializer hands
 * the same instance on when Flink "copies" between chained operators (so no row is copied, with or
 * without object reuse), and refuses to write one to the network, where a pipeline that breaks the
 * chain would send it.
 */
final class ChunkType extends TypeInformation<Chunk> {

    static final ChunkType INSTANCE = new ChunkType();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Chunk> getTypeClass() {
        return Chunk.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Chunk> createSerializer(SerializerConfig config) {
        return ChunkSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FerryChunk";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChunkType;
    }

    @Override
    public int hashCode() {
        return ChunkType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof ChunkType;
    }

    /** Passes chunks on by reference; has no wire form. */
    static final class ChunkSerializer extends TypeSerializer<Chunk> {

        static final ChunkSerializer INSTANCE = new ChunkSerializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<Chunk> duplicate() {
            return this;
        }

        @Override
        public Chunk createInstance() {
            return new Chunk();
        }

        @Override
        public Chunk copy(Chunk from) {
            return from;
        }

        @Override
        public Chunk copy(Chunk from, Chunk reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(Chunk record, DataOutputView target) throws IOException {
            throw broken();
        }

        @Override
        public Chunk deserialize(DataInputView source) throws IOException {
            throw broken();
        }

        @Override
        public Chunk deserialize(Chunk reuse, DataInputView source) throws IOException {
            throw broken();
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            throw broken();
        }

        private static IOException broken() {
            return new IOException("a Ferry reader and its writer must run in one operator chain (same parallelism, "
                    + "chaining enabled, nothing between them that shuffles): Ferry's batches are not sent over the "
                    + "network");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ChunkSerializer;
        }

        @Override
        public int hashCode() {
            return ChunkSerializer.class.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<Chunk> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer's snapshot: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Chunk> {

        public Snapshot() {
            super(() -> ChunkSerializer.INSTANCE);
        }
    }
}
