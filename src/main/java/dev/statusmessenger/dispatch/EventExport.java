package dev.statusmessenger.dispatch;

import dev.statusmessenger.stream.Message;

/**
 * Where a session's accepted messages may also go beyond its sockets: the optional export of events
 * to an external topic ({@code dev.statusmessenger.pubsub}). The publisher calls it on the
 * producer's thread once a message is ordered and stored, on the node that accepted it, so each
 * message is exported once even in a cluster. Implementations must return at once and never throw.
 */
public interface EventExport {

  /** Exports nothing: for code running without a container (unit tests). */
  EventExport NONE = message -> {};

  /** A session's status or event was accepted; implementations pick what they export. */
  void accepted(Message message);
}
