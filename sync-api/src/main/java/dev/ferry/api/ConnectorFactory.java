package dev.ferry.api;

/**
 * A named connector, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.ferry.api.ConnectorFactory}. A connector that reads implements
 * {@link SourceFactory}, one that writes implements {@link TargetFactory}, and many do both.
 *
 * <p>Threading: factories are stateless and safe to share.
 */
public interface ConnectorFactory {

    /** The name used in job files, lower case ({@code "csv"}, {@code "postgresql"}). */
    String name();

    /** One sentence for {@code connectors} listings. */
    String description();
}
