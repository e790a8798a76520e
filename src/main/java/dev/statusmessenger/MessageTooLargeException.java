package dev.statusmessenger;

/** Thrown where a message is larger than its configured limit (status text, event data). */
public class MessageTooLargeException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MessageTooLargeException(String message) {
    super(message);
  }
}
