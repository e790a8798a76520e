package dev.statusmessenger.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketFrameTest {

  /** The payload of a server's text frame, read by RFC 6455 section 5.2; fails on anything else. */
  private static String decode(byte[] frame) {
    assertEquals(0x81, frame[0] & 0xFF, "FIN set, no extension bits, opcode text");
    assertEquals(0, frame[1] & 0x80, "a server's frame is not masked");
    int marker = frame[1] & 0x7F;
    long length;
    int header;
    if (marker < 126) {
      length = marker;
      header = 2;
    } else if (marker == 126) {
      length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
      header = 4;
      assertEquals(true, length >= 126, "the 16-bit length only for lengths over 125");
    } else {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | (frame[2 + i] & 0xFF);
      }
      header = 10;
      assertEquals(true, length > 0xFFFF, "the 64-bit length only for lengths over 65535");
    }
    assertEquals(header + length, frame.length, "the length covers exactly the payload");
    return new String(Arrays.copyOfRange(frame, header, frame.length), StandardCharsets.UTF_8);
  }

  @Test
  void everyLengthEncodingBoundaryRoundTrips() {
    for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
      String text = "x".repeat(length);
      byte[] frame = WebSocketFrame.text(text);
      assertEquals(text, decode(frame), "length " + length);
      assertEquals(length < 126 ? 2 : length <= 65_535 ? 4 : 10, frame.length - length, "header of " + length);
    }
  }

  @Test
  void theLengthCountsUtf8BytesNotCharacters() {
    String euros = "€".repeat(50); // 50 chars, 150 bytes: past the one-byte length
    byte[] frame = WebSocketFrame.text(euros);
    assertEquals(126, frame[1]);
    assertEquals(euros, decode(frame));
    String mixed = "{\"data\":\"é€😀\\u0000\"}";
    assertArrayEquals(mixed.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(WebSocketFrame.text(mixed), 2, 2 + mixed.getBytes(StandardCharsets.UTF_8).length));
    assertEquals(mixed, decode(WebSocketFrame.text(mixed)));
  }
}
