package dev.statusmessenger.cluster;

import dev.statusmessenger.ops.ReadinessContributor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A clustered node is ready once it is a running member of the data grid, so a load balancer sends
 * it no sockets before it can see the cluster's streams; a node alone is always ready here.
 */
@ApplicationScoped
public class GridReadiness implements ReadinessContributor {

  @Inject ClusterGrid grid;

  @Override
  public String name() {
    return "grid";
  }

  @Override
  public boolean ready() {
    return grid.isJoined();
  }
}
