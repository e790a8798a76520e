package dev.statusmessenger.dispatch;

import dev.statusmessenger.stream.Message;
import java.util.List;

/** Where the dispatcher's consumers deliver an ordered message: the connections of its stream. */
public interface DeliveryTarget {

  /** Hands the message to every connection of its stream; must not block on a socket. */
  void deliver(Message message);

  /**
   * Hands over several messages at once, in order (each stream's in {@code seq} order), so that a
   * connection can send what it receives together in one frame. Must not block on a socket.
   */
  default void deliverAll(List<Message> messages) {
    for (Message message : messages) {
      deliver(message);
    }
  }
}
