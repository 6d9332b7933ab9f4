package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.tomcat.util.buf.MessageBytes;
import org.junit.jupiter.api.Test;

/** Headers handed to Tomcat as bytes are the bytes Tomcat would have sent for them. */
class HeaderBytesTest {

    @Test
    void textIsSentAsLatin1Bytes() {
        MessageBytes header = MessageBytes.newInstance();
        header.setString("default-src 'self'; caf\u00e9\tand a tab");

        HeaderBytes.encode(header);

        assertThat(header.getType()).isEqualTo(MessageBytes.T_BYTES);
        byte[] sent = new byte[header.getByteChunk().getLength()];
        System.arraycopy(header.getByteChunk().getBuffer(), header.getByteChunk().getStart(), sent, 0, sent.length);
        assertThat(sent).isEqualTo("default-src 'self'; caf\u00e9\tand a tab".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Tomcat filters control characters only out of the headers it encodes itself: those are left to it. */
    @Test
    void textWithControlCharactersIsLeftForTomcatToFilter() {
        for (String injected : new String[] {"a\r\nSet-Cookie: stolen=1", "a\nb", "a\u0000b", "a\u007fb"}) {
            MessageBytes header = MessageBytes.newInstance();
            header.setString(injected);

            HeaderBytes.encode(header);

            assertThat(header.getType()).as(injected).isEqualTo(MessageBytes.T_STR);
            assertThat(header.getString()).isEqualTo(injected);
        }
    }

    @Test
    void textLatin1CannotEncodeIsLeftForTomcatToRefuse() {
        MessageBytes header = MessageBytes.newInstance();
        header.setString("price \u20ac5");

        HeaderBytes.encode(header);

        assertThat(header.getType()).isEqualTo(MessageBytes.T_STR);
        assertThat(header.getString()).isEqualTo("price \u20ac5");
    }

    @Test
    void textTomcatWouldEncodeInUtf8IsLeftToItUnlessItIsAscii() {
        MessageBytes cookie = MessageBytes.newInstance();
        cookie.setCharset(StandardCharsets.UTF_8);
        cookie.setString("name=caf\u00e9");
        MessageBytes ascii = MessageBytes.newInstance();
        ascii.setCharset(StandardCharsets.UTF_8);
        ascii.setString("name=cafe");

        HeaderBytes.encode(cookie);
        HeaderBytes.encode(ascii);

        assertThat(cookie.getType()).isEqualTo(MessageBytes.T_STR);
        assertThat(ascii.getType()).isEqualTo(MessageBytes.T_BYTES);
        assertThat(ascii.toString()).isEqualTo("name=cafe");
    }
}
