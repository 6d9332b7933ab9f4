package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.tomcat.util.buf.MessageBytes;
import org.junit.jupiter.api.Test;

/** Headers handed to Tomcat as bytes are the bytes Tomcat would have sent for them. */
class HeaderBytesTest {

    @Test
    void textIsSentAsLatin1WithControlCharactersAsSpacesLikeTomcatSendsIt() {
        MessageBytes header = MessageBytes.newInstance();
        header.setString("caf\u00e9\r\nSet-Cookie: stolen=1\tand a tab\u007f");

        HeaderBytes.encode(header);

        assertThat(header.getType()).isEqualTo(MessageBytes.T_BYTES);
        byte[] sent = new byte[header.getByteChunk().getLength()];
        System.arraycopy(header.getByteChunk().getBuffer(), header.getByteChunk().getStart(), sent, 0, sent.length);
        assertThat(new String(sent, StandardCharsets.ISO_8859_1)).isEqualTo("caf\u00e9  Set-Cookie: stolen=1\tand a tab ");
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
