package org.bookstore.store.common;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Response headers handed to Tomcat as bytes. Tomcat turns every header name and value set as text into bytes when it
 * sends them, through a new {@link java.nio.charset.CharsetEncoder} per header that reads the text a character at a
 * time: a quarter of the CPU of serving a kept catalogue page, whose dozen security headers (the content security
 * policy alone is 300 characters) outweigh everything else but the body. Whenever the body is written to Tomcat before
 * the response is committed, the headers set so far are encoded here in one pass each, exactly as Tomcat would
 * (ISO-8859-1). Tomcat filters out control characters (its guard against header injection) only from headers it
 * encodes itself, so a header holding one is left as text for it, as is one holding a character ISO-8859-1 cannot
 * encode (Tomcat refuses it as before) and one Tomcat would encode in another charset (the cookies it sets itself, in
 * UTF-8) unless it is plain ASCII. A response written through its writer, and the headers Tomcat adds itself (date,
 * content type), are sent by Tomcat as before.
 */
@Configuration(proxyBeanMethods = false)
class HeaderBytes {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> headersAsBytes() {
        return factory -> factory.addEngineValves(new HeadersAsBytesValve());
    }

    /** Hands the application a response whose output stream encodes the headers before the first bytes of the body. */
    static final class HeadersAsBytesValve extends ValveBase {

        HeadersAsBytesValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            response.setResponse(new EncodingResponse(response.getResponse(), response));
            getNext().invoke(request, response);
        }
    }

    private static final class EncodingResponse extends HttpServletResponseWrapper {

        private final Response tomcat;
        private ServletOutputStream stream;

        EncodingResponse(HttpServletResponse response, Response tomcat) {
            super(response);
            this.tomcat = tomcat;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            if (stream == null) {
                stream = new EncodingStream(out, this);
            }
            return stream;
        }

        @Override
        public void flushBuffer() throws IOException {
            encodeHeaders();
            super.flushBuffer();
        }

        void encodeHeaders() {
            if (tomcat.isCommitted()) {
                return;
            }
            MimeHeaders headers = tomcat.getCoyoteResponse().getMimeHeaders();
            for (int i = 0; i < headers.size(); i++) {
                encode(headers.getName(i));
                encode(headers.getValue(i));
            }
        }
    }

    /** Sets the text's bytes as Tomcat would send them; leaves text it would refuse as it is. */
    static void encode(MessageBytes header) {
        if (header.getType() != MessageBytes.T_STR) {
            return;
        }
        String text = header.getString();
        // A header Tomcat would encode otherwise (a cookie it sets itself is UTF-8) is left to it unless it is ASCII.
        int highest = StandardCharsets.ISO_8859_1.equals(header.getCharset()) ? 0xFF : 0x7F;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > highest || c < ' ' && c != '\t' || c == 0x7F) {
                // Tomcat turns control characters into spaces only in headers it encodes itself: they are left to it.
                return;
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        header.setBytes(bytes, 0, bytes.length);
    }

    /** Encodes the headers before anything of the body is written or flushed. */
    private static final class EncodingStream extends ServletOutputStream {

        private final ServletOutputStream out;
        private final EncodingResponse response;

        EncodingStream(ServletOutputStream out, EncodingResponse response) {
            this.out = out;
            this.response = response;
        }

        /** Headers may still be added while the body fills Tomcat's buffer (Spring Security adds its own then). */
        private void beforeBody() {
            response.encodeHeaders();
        }

        @Override
        public void write(int b) throws IOException {
            beforeBody();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            beforeBody();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            beforeBody();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            beforeBody();
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
