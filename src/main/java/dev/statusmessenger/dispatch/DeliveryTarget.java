package dev.statusmessenger.dispatch;

import dev.statusmessenger.stream.Message;

/** Where the dispatcher's consumers deliver an ordered message: the connections of its stream. */
public interface DeliveryTarget {

  /** Hands the message to every connection of its stream; must not block on a socket. */
  void deliver(Message message);
}
