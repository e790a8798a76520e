package dev.statusmessenger.ops;

/**
 * A condition the node must meet before it takes traffic, beyond the dispatcher running: for
 * example, in a cluster, having joined the data grid. Any CDI bean implementing it is consulted by
 * {@code /health/ready}.
 */
public interface ReadinessContributor {

  /** A short name for the health answer's data, such as {@code grid}. */
  String name();

  /** Whether this condition is met now; called on every readiness probe, so it must be cheap. */
  boolean ready();
}
