package io.smsreports.service;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The API's only connector when TLS is configured: HTTPS on {@code SMS_HTTP_HOST:SMS_HTTP_PORT}. */
final class TlsConnector {

    private TlsConnector() {
    }

    static Connector of(final Server server, final HttpConfiguration httpConfig, final ServiceConfig config) {
        final SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePath(config.tls().keyStore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(new String(config.tls().keyStorePassword()));
        final HttpConfiguration https = new HttpConfiguration(httpConfig);
        // Clients may connect by address (probes, a load balancer): the certificate is checked by clients, not SNI here.
        https.addCustomizer(new SecureRequestCustomizer(false));
        final ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        return connector;
    }
}
