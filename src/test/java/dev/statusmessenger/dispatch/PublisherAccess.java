package dev.statusmessenger.dispatch;

import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.stream.TrafficStats;

/** A {@link Publisher} wired by hand, for tests of other packages that run without a container. */
public final class PublisherAccess {

  private PublisherAccess() {}

  public static Publisher publisher(
      MessengerConfig config, StreamStore store, Dispatcher dispatcher, EventExport export) {
    Publisher p = new Publisher();
    p.config = config;
    p.store = store;
    p.dispatcher = dispatcher;
    p.stats = TrafficStats.NONE;
    p.export = export;
    return p;
  }
}
