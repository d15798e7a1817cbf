package dev.ferry.flink;

import dev.ferry.engine.runtime.SplitJson;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Splits in Flink's messages and checkpoints: version 1 is the split's JSON form
 * ({@link SplitJson}: its record's class and fields), so a split written by one version of a
 * connector stays readable while its record's fields do, and no Java serialisation of connector
 * classes is involved.
 */
final class SplitSerializer implements SimpleVersionedSerializer<FerrySplit> {

    static final SplitSerializer INSTANCE = new SplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FerrySplit split) {
        return SplitJson.toBytes(split.split());
    }

    @Override
    public FerrySplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("a Ferry split of serialisation version " + version + " cannot be read by this "
                    + "version, which reads version " + VERSION);
        }
        return new FerrySplit(SplitJson.fromBytes(serialized, SplitSerializer.class.getClassLoader()));
    }
}
