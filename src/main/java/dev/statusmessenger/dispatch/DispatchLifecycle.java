package dev.statusmessenger.dispatch;

import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.session.ConnectionManager;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.task.TaskRegistry;
import dev.statusmessenger.wire.CloseCode;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the dispatcher's lanes and the expiry sweep when the application starts, and at shutdown
 * delivers what was accepted, then closes every socket with 1001 so clients resume elsewhere.
 */
@ApplicationScoped
public class DispatchLifecycle {

  private static final Logger LOG = Logger.getLogger(DispatchLifecycle.class.getName());

  @Inject MessengerConfig config;
  @Inject Dispatcher dispatcher;
  @Inject ConnectionManager connections;
  @Inject StreamStore store;
  @Inject TaskRegistry tasks;

  private ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> sweep;
  private ScheduledFuture<?> liveness;

  void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
    ManagedThreadFactory threads = PlatformResources.threadFactory();
    scheduler = PlatformResources.scheduler();
    dispatcher.start(connections, threads);
    long shortestTtl = Math.min(config.historyTtl().toMillis(), config.taskHistoryTtl().toMillis());
    long every = Math.max(1000, Math.min(60_000, shortestTtl / 4));
    sweep = scheduler.scheduleWithFixedDelay(this::expireIdle, every, every, TimeUnit.MILLISECONDS);
    long turn = connections.livenessTurnMillis();
    liveness = scheduler.scheduleWithFixedDelay(this::checkLiveness, turn, turn, TimeUnit.MILLISECONDS);
    LOG.info(
        () ->
            "status-messenger started: history "
                + config.historySize()
                + " messages / "
                + config.historyTtl()
                + ", auth "
                + (config.authEnabled() ? "token" : "NONE"));
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) {
    if (sweep != null) {
      sweep.cancel(false);
      liveness.cancel(false);
    }
    dispatcher.stop(5, TimeUnit.SECONDS);
    connections.closeAll(
        CloseCode.GOING_AWAY, "server shutting down: reconnect and resume",
        config.shutdownFlushTimeout());
  }

  private void checkLiveness() {
    try {
      connections.checkLiveness();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Liveness check failed; it runs again", e);
    }
  }

  private void expireIdle() {
    try {
      int streams = store.expireIdle(connections::hasConnections);
      int forgotten = tasks.expireIdle(id -> connections.hasConnections(StreamKeys.task(id)));
      if (streams + forgotten > 0) {
        LOG.fine(() -> "Expired " + streams + " idle streams and " + forgotten + " idle tasks");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Expiry sweep failed; it runs again", e);
    }
  }
}
