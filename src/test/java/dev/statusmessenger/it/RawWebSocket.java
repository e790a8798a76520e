package dev.statusmessenger.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket peer written at the byte level, for what well-behaved clients never do: stop reading,
 * never answer pings, vanish without a close frame. It speaks the real handshake and frame format
 * (RFC 6455) to the real server.
 */
public final class RawWebSocket implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String handshakeResponse;
  private int closeCode = -1;
  private String closeReason = "";

  private RawWebSocket(Socket socket, String handshakeResponse) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.handshakeResponse = handshakeResponse;
  }

  /** Opens a socket to a path under the application's base URL, completing the handshake. */
  public static RawWebSocket open(URL base, String path) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(15_000);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request =
        "GET " + base.getPath() + path + " HTTP/1.1\r\n"
            + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    String response = head.toString(StandardCharsets.US_ASCII);
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + response);
    }
    return new RawWebSocket(socket, response);
  }

  public String handshakeResponse() {
    return handshakeResponse;
  }

  /** Sends a masked text frame, as a client must. */
  public void sendText(String text) throws IOException {
    sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a masked frame with any opcode and payload (bytes need not be valid UTF-8). */
  public void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** The code and reason of the close frame {@link #nextText()} met, for failure messages. */
  public String closeNote() {
    return closeCode + " " + closeReason;
  }

  /** The next text frame's payload, skipping control frames; null where the server closed. */
  public String nextText() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame == null) {
        return null;
      }
      if (frame.opcode() == 0x8) {
        closeCode = frame.closeCode();
        closeReason = frame.payload().length > 2
            ? new String(frame.payload(), 2, frame.payload().length - 2, StandardCharsets.UTF_8) : "";
        return null;
      }
      if (frame.opcode() == 0x1) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * Reads frames until a ping, answers it with a pong as a browser does, and says when the ping was
   * read.
   *
   * @return {@link System#nanoTime()} when the ping was read, or -1 where the server closed first
   */
  public long answerNextPing() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame == null || frame.opcode() == 0x8) {
        return -1;
      }
      if (frame.opcode() == 0x9) {
        long read = System.nanoTime();
        sendFrame(0xA, frame.payload());
        return read;
      }
    }
  }

  /** A frame read from the server: its opcode and unmasked payload. */
  private record Frame(int opcode, byte[] payload) {
    /** A close frame's code, 1005 where it carries none. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** The next frame, or null where the TCP connection ended. */
  private Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    return new Frame(b0 & 0x0f, in.readNBytes((int) payloadLength()));
  }

  /** Sends a close frame with a code, as a well-behaved client leaving does. */
  public void sendClose(int code) throws IOException {
    sendFrame(0x8, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  private long payloadLength() throws IOException {
    long length = in.read() & 0x7f;
    if (length == 126) {
      length = (in.read() << 8) | in.read();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | in.read();
      }
    }
    return length;
  }

  /**
   * Reads frames until the server closes the connection, without ever answering a ping.
   *
   * @return the close code of the server's close frame, -1 where the TCP connection just ended,
   *     or -2 where neither happened within {@code seconds}
   */
  public int readUntilClosed(int seconds) throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      Frame frame = readFrame();
      if (frame == null) {
        return -1;
      }
      if (frame.opcode() == 0x8) {
        return frame.closeCode();
      }
    }
    return -2;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
