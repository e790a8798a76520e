package dev.statusmessenger.ops;

import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.session.ConnectionManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node's MicroProfile Health checks, served by the platform on {@code /health/live} and
 * {@code /health/ready}. Live while every dispatcher lane runs (a dead lane would strand its
 * streams: restart the node); ready once the dispatcher runs and every {@link
 * ReadinessContributor} (the cluster's grid membership, where there is one) says so.
 */
@ApplicationScoped
public class MessengerHealth {

  static final String NAME = "status-messenger";

  @Inject Dispatcher dispatcher;
  @Inject ConnectionManager connections;
  @Inject Instance<ReadinessContributor> contributors;

  @Produces
  @Liveness
  HealthCheck live() {
    return () ->
        HealthCheckResponse.named(NAME)
            .status(dispatcher.isHealthy())
            .withData("dispatch_queue_depth", dispatcher.queued())
            .build();
  }

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      boolean up = dispatcher.isRunning();
      HealthCheckResponseBuilder answer =
          HealthCheckResponse.named(NAME)
              .withData("dispatcher", dispatcher.isRunning() ? "running" : "stopped")
              .withData("connections", connections.connectionCount());
      for (ReadinessContributor contributor : contributors) {
        boolean ready = contributor.ready();
        answer.withData(contributor.name(), ready ? "ready" : "not ready");
        up &= ready;
      }
      return answer.status(up).build();
    };
  }
}
