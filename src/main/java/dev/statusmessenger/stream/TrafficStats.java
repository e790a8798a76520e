package dev.statusmessenger.stream;

/**
 * Where producers and connections report what passes through them, for metrics. Every method is
 * called on a hot path: implementations only count.
 */
public interface TrafficStats {

  /** Reports nothing: for code running without a container (unit tests). */
  TrafficStats NONE = new TrafficStats() {};

  /** A producer's message was ordered and stored in its stream. */
  default void accepted(Message message) {}

  /** A message was handed to one connection's socket. */
  default void sent(Message message) {}

  /** A pending status frame was replaced by a newer one before it was sent. */
  default void coalesced() {}

  /** Frames a connection held were discarded unsent because it closed (slow consumer, failure). */
  default void dropped(int frames) {}
}
