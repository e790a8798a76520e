package dev.statusmessenger.dispatch;

import dev.statusmessenger.config.MessengerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the application's one {@link Dispatcher}, sized to the machine. */
@ApplicationScoped
public class DispatcherProducer {

  @Produces
  @Singleton
  Dispatcher dispatcher(MessengerConfig config) {
    int lanes = Math.max(2, Runtime.getRuntime().availableProcessors());
    return new Dispatcher(lanes, config.dispatchQueueLimit());
  }
}
