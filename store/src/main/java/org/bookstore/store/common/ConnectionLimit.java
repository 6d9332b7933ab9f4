package org.bookstore.store.common;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * No number of connections makes the store run out of memory. A connection whose request is still arriving holds
 * Tomcat's buffers for it: the request's headers (up to {@code server.max-http-request-header-size}, 32 KB here so
 * that a 10 KB search is answered), the response's headers, and the socket's own, about 112 KB in all. Tomcat accepts
 * up to 8,192 connections at once by default, 900 MB of such buffers: a single client that opened a few thousand
 * connections and sent a header line every few seconds on each (each line keeps the connection's read timeout from
 * firing) filled a 256 MB heap, and the store spent its time in full collections, answered nothing, threw
 * {@link OutOfMemoryError} in its request and background threads, and had not stopped a minute after SIGTERM.
 * <p>So, unless {@code server.tomcat.max-connections} is set, the store accepts only as many connections as a quarter
 * of its maximum heap holds at their largest: about 570 to 585 at {@code -Xmx256m} (as the collector counts the
 * heap), and Tomcat's 8,192 from a 3.5 GB heap on. Beyond that, new connections wait in the operating system's
 * queue ({@code server.tomcat.accept-count}) until one closes. While one client holds them all, others wait: a limit
 * per client address belongs in front of the store (a load balancer, or nginx's {@code limit_conn}), as does a
 * deadline for a request's headers as a whole.
 * <p>Each connection's socket write buffer is {@code bookstore.http.socket-write-buffer}, 32 KB unless set, instead of
 * Tomcat's 8 KB: Tomcat hands a response to the socket a buffer at a time, so a catalogue page of a large catalogue
 * (24 books, about 24 KB) took three {@code write} calls where nginx makes one, and the store's cost grew with a
 * page's bytes faster than nginx's. With 32 KB the page is one call: the 100,000-book search served 17,200
 * requests/s against 14,600, two instances side by side, nine rounds of 10 s in turn (higher in eight). It costs
 * 24 KB more per connection, counted in the limit above (about 570 connections at {@code -Xmx256m}, against 730).
 * A buffer so large that a hundred connections' would not fit in a quarter of the heap is refused at start (at
 * {@code -Xmx256m}, anything over about 575 KB), as is a value that is not a size.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionLimit {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

    /** Tomcat's own ceiling, and its default. */
    static final int TOMCAT_DEFAULT = 8192;
    /** Never fewer than this, however small the heap. */
    static final int AT_LEAST = 100;
    /**
     * What a connection holds besides its request's and response's header buffers and its socket write buffer: the
     * socket's read buffer and a read buffer's worth more for the request (8 KB each, Tomcat's defaults), and the
     * request's and response's objects (measured: about 83 KB a connection in all with 32 KB request headers and an
     * 8 KB write buffer).
     */
    static final long BESIDES_HEADERS = 2 * 8 * 1024 + 24 * 1024;
    /** The socket write buffer unless {@code bookstore.http.socket-write-buffer} says otherwise. */
    static final DataSize SOCKET_WRITE_BUFFER = DataSize.ofKilobytes(32);
    static final String WRITE_BUFFER_SETTING = "bookstore.http.socket-write-buffer";

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> connectionsTheHeapHolds(Environment environment) {
        boolean setExplicitly = environment.containsProperty("server.tomcat.max-connections");
        int writeBuffer = socketWriteBuffer(environment.getProperty(WRITE_BUFFER_SETTING));
        return factory -> factory.addConnectorCustomizers(connector -> apply(connector, writeBuffer, setExplicitly,
                Runtime.getRuntime().maxMemory()));
    }

    /** The socket write buffer a setting asks for, in bytes, or a refusal that names the setting and says why. */
    static int socketWriteBuffer(String setting) {
        long bytes;
        try {
            bytes = setting == null ? SOCKET_WRITE_BUFFER.toBytes() : DataSize.parse(setting.strip()).toBytes();
        } catch (IllegalArgumentException notASize) {
            throw new IllegalStateException(WRITE_BUFFER_SETTING + " must be a size such as 32KB, not '" + setting + "'",
                    notASize);
        }
        if (bytes < 1024) {
            throw new IllegalStateException(WRITE_BUFFER_SETTING + " must be at least 1KB, not " + bytes + " bytes");
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalStateException(WRITE_BUFFER_SETTING + " must be under 2GB, not '" + setting + "'");
        }
        return (int) bytes;
    }

    /**
     * Sets the connector's socket write buffer and, unless {@code server.tomcat.max-connections} is set, its limit.
     * Whatever the limit, Tomcat keeps at least {@link #AT_LEAST} connections, so a buffer so large that that many of
     * them would not fit in a quarter of the heap is refused: each connection takes its buffer from the heap as soon
     * as it is accepted, and a few dozen connections holding megabytes each would run the heap out, kill the thread
     * that accepts connections, and leave the store answering nothing until it is restarted.
     */
    static void apply(Connector connector, int writeBuffer, boolean limitSetExplicitly, long maxHeap) {
        if (!(connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http)) {
            return;
        }
        long perConnection = http.getMaxHttpRequestHeaderSize() + http.getMaxHttpResponseHeaderSize() + BESIDES_HEADERS
                + writeBuffer;
        if (perConnection * AT_LEAST > maxHeap / 4) {
            long largest = maxHeap / 4 / AT_LEAST - (perConnection - writeBuffer);
            throw new IllegalStateException(WRITE_BUFFER_SETTING + " is " + (writeBuffer / 1024) + "KB, but with a "
                    + (maxHeap >> 20) + " MB heap it can be at most " + Math.max(0, largest / 1024) + "KB: every open "
                    + "connection holds one, and " + AT_LEAST + " of them must fit in a quarter of the heap");
        }
        if (!connector.setProperty("socket.appWriteBufSize", Integer.toString(writeBuffer))) {
            throw new IllegalStateException("Tomcat's connector did not take socket.appWriteBufSize");
        }
        if (!limitSetExplicitly) {
            int limit = limit(maxHeap, perConnection);
            http.setMaxConnections(limit);
            log.info("Accepting at most {} connections at once ({} KB each at most, a quarter of a {} MB heap)", limit,
                    perConnection / 1024, maxHeap >> 20);
        }
    }

    /** As many connections as a quarter of the heap holds at {@code perConnection} bytes each, within Tomcat's range. */
    static int limit(long maxHeap, long perConnection) {
        return (int) Math.max(AT_LEAST, Math.min(TOMCAT_DEFAULT, maxHeap / 4 / perConnection));
    }
}
