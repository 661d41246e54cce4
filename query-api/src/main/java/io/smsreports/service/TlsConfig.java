package io.smsreports.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the API and the calls between instances ({@code SMS_TLS_KEYSTORE} set): the API listens with TLS only, and an
 * instance calls the others over {@code https://}, trusting the certificates of {@code SMS_TLS_TRUSTSTORE} (else the
 * JDK's trusted authorities) and checking that each presents a certificate for the host it advertises
 * ({@code SMS_APPLICATION_SERVER}). Without it (the default) everything is plain HTTP: fine on loopback and inside a
 * private network, where the cluster secret still keeps user tokens out of the internal routes.
 *
 * @param keyStore           PKCS12 file with this instance's key and certificate chain
 * @param keyStorePassword   its password
 * @param trustStore         PKCS12 file of the certificates (or the CA) other instances present, or null for the JDK's
 * @param trustStorePassword its password, or null
 */
public record TlsConfig(Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword) {

    /** The client side: what this instance trusts when it calls another. */
    public SSLContext clientContext() {
        try {
            final SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = null;
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore, trustStorePassword));
            }
            context.init(null, trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot use the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that both stores open with their passwords and the key store holds a key.
     *
     * @throws IllegalArgumentException saying which file and what is wrong
     */
    void validate() {
        try {
            final KeyStore keys = load(keyStore, keyStorePassword);
            final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, keyStorePassword);
            if (factory.getKeyManagers().length == 0 || !java.util.Collections.list(keys.aliases()).stream().anyMatch(alias -> {
                try {
                    return keys.isKeyEntry(alias);
                } catch (java.security.KeyStoreException e) {
                    return false;
                }
            })) {
                throw new IllegalArgumentException(ServiceConfig.SMS_TLS_KEYSTORE + " " + keyStore + " holds no private key");
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(ServiceConfig.SMS_TLS_KEYSTORE + " " + keyStore + " cannot be opened: " + e.getMessage());
        }
        if (trustStore != null) {
            try {
                load(trustStore, trustStorePassword);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException(ServiceConfig.SMS_TLS_TRUSTSTORE + " " + trustStore + " cannot be opened: " + e.getMessage());
            }
        }
    }

    private static KeyStore load(final Path file, final char[] password) throws GeneralSecurityException, IOException {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + keyStore + ", trust " + (trustStore == null ? "JDK" : trustStore) + "]"; // never the passwords
    }
}
