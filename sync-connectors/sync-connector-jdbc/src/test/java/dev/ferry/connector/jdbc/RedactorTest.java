package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.config.Secret;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksPasswordParametersOfUrls() {
        assertEquals("jdbc:postgresql://h/db?user=a&password=******&ssl=true",
                Redactor.URL_ONLY.mask("jdbc:postgresql://h/db?user=a&password=s3cr3t&ssl=true"));
        assertEquals("jdbc:h2:tcp://h/x;USER=sa;PASSWORD=******", Redactor.URL_ONLY.mask("jdbc:h2:tcp://h/x;USER=sa;PASSWORD=abc"));
        assertEquals("url jdbc:mariadb://h/db?pwd=****** failed", Redactor.URL_ONLY.mask("url jdbc:mariadb://h/db?pwd=x1 failed"));
        assertEquals("sslpassword=******", Redactor.URL_ONLY.mask("sslpassword=key"));
    }

    @Test
    void masksUserInfoPasswords() {
        assertEquals("jdbc:postgresql://bob:******@host:5432/db", Redactor.URL_ONLY.mask("jdbc:postgresql://bob:hunter2@host:5432/db"));
    }

    @Test
    void masksTheConfiguredSecretAnywhere() {
        Redactor redactor = Redactor.of(new Secret("hunter2secret"));
        assertEquals("FATAL: password ****** rejected", redactor.mask("FATAL: password hunter2secret rejected"));
    }

    @Test
    void ignoresEmptyAndTinySecretsAndNullText() {
        Redactor redactor = Redactor.of(new Secret(""), null, new Secret("ab"));
        assertEquals("table ab", redactor.mask("table ab"));
        assertNull(redactor.mask(null));
        assertEquals("password=", Redactor.URL_ONLY.mask("password="));
    }

    @Test
    void sanitizedChainsKeepStateAndTraceButNotTheSecret() {
        SQLException cause = new SQLException("connect to jdbc:x://h?password=topsecret failed", "08001");
        RuntimeException error = new RuntimeException("pool: password=topsecret", cause);
        Throwable clean = Redactor.URL_ONLY.sanitize(error);
        for (Throwable t = clean; t != null; t = t.getCause()) {
            assertFalse(t.getMessage().contains("topsecret"), t.getMessage());
        }
        assertTrue(clean.getCause().getMessage().contains("SQLState 08001"), clean.getCause().getMessage());
        assertEquals(error.getStackTrace()[0], clean.getStackTrace()[0]);
    }
}
