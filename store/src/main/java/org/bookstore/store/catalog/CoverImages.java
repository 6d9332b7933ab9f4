package org.bookstore.store.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Tells what an uploaded cover really is from its bytes, never from its file name or the type the browser claims:
 * PNG, JPEG or WebP, at most 2 MB and of sensible dimensions. Only the image's header is read, never the whole
 * picture, so a small file claiming to be enormous costs nothing.
 */
final class CoverImages {

    static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final int MAX_SIDE = 8000;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private CoverImages() {}

    /** The image's content type; throws {@link BookChanges.Invalid} with a message for the shop owner otherwise. */
    static String typeOf(byte[] image) {
        if (image.length > MAX_BYTES) {
            throw BookChanges.Invalid.of("cover", "The cover image is too large: it can be at most 2 MB.");
        }
        if (startsWith(image, PNG)) {
            checkDimensions(image, "png");
            return "image/png";
        }
        if (image.length > 3 && (image[0] & 0xFF) == 0xFF && (image[1] & 0xFF) == 0xD8 && (image[2] & 0xFF) == 0xFF) {
            checkDimensions(image, "jpeg");
            return "image/jpeg";
        }
        if (image.length > 16 && ascii(image, 0, "RIFF") && ascii(image, 8, "WEBP")
                && (ascii(image, 12, "VP8 ") || ascii(image, 12, "VP8L") || ascii(image, 12, "VP8X"))) {
            return "image/webp";
        }
        throw BookChanges.Invalid.of("cover", "That file is not a PNG, JPEG or WebP image, whatever its name says. "
                + "Choose an image file for the cover.");
    }

    private static void checkDimensions(byte[] image, String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            return;
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
                throw BookChanges.Invalid.of("cover", "The cover image must be at most " + MAX_SIDE + " pixels on each side.");
            }
        } catch (IOException | RuntimeException broken) {
            if (broken instanceof BookChanges.Invalid invalid) {
                throw invalid;
            }
            throw BookChanges.Invalid.of("cover", "That image file is damaged and cannot be read. Choose another one.");
        } finally {
            reader.dispose();
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean ascii(byte[] data, int offset, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (offset + i >= data.length || data[offset + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
