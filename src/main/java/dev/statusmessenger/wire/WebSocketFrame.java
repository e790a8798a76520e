package dev.statusmessenger.wire;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a text frame the way a server sends it (RFC 6455 section 5.2: final, unmasked, no
 * extension bits), so that a message's frame is encoded to bytes once and every socket of its
 * session sends those bytes, instead of the container encoding and framing the same string once per
 * socket.
 */
public final class WebSocketFrame {

  private static final byte FINAL_TEXT = (byte) 0x81;

  private WebSocketFrame() {}

  /** How many of a frame's bytes ({@link #text}) are its header: 2, 4 or 10. */
  public static int headerLength(byte[] frame) {
    int marker = frame[1] & 0x7F;
    return marker < 126 ? 2 : marker == 126 ? 4 : 10;
  }

  /** The whole frame, header and UTF-8 payload, of one text message. */
  public static byte[] text(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + length];
    frame[0] = FINAL_TEXT;
    if (header == 2) {
      frame[1] = (byte) length;
    } else if (header == 4) {
      frame[1] = 126;
      frame[2] = (byte) (length >>> 8);
      frame[3] = (byte) length;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, length);
    return frame;
  }
}
