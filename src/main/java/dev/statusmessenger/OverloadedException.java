package dev.statusmessenger;

/**
 * Thrown where the server cannot take a message now because delivery is too far behind; nothing
 * was accepted, so the producer may retry later. Over HTTP this is a 503 with {@code Retry-After}.
 */
public class OverloadedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message);
  }
}
