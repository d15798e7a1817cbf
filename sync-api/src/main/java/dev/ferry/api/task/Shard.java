package dev.ferry.api.task;

import dev.ferry.api.config.Secret;
import java.util.Objects;

/**
 * One endpoint of a sharded source: its URL, and the credentials when they differ from the
 * source's own.
 *
 * @param url      the shard's JDBC URL
 * @param username the user name, or null for the source's
 * @param password the password, or null for the source's
 */
public record Shard(String url, String username, Secret password) {

    public Shard {
        Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
        return "Shard[url=" + url + ", username=" + username + ", password=" + (password == null ? "inherited" : Secret.MASK)
                + "]";
    }
}
