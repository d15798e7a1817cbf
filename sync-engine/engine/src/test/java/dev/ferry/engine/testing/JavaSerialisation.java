package dev.ferry.engine.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/** Java serialisation there and back: what a plan or a split goes through on its way to another process. */
public final class JavaSerialisation {

    private JavaSerialisation() {
    }

    /** {@code value} written to bytes and read back as a new object. */
    @SuppressWarnings("unchecked")
    public static <T extends Serializable> T roundTrip(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new AssertionError("cannot serialise " + value, e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("cannot read back the serialised " + value, e);
        }
    }
}
