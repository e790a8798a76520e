package dev.statusmessenger.it.probe;

import dev.statusmessenger.rest.RestApplication;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The probes' endpoints under {@code /api/v1/probe}, an application of their own (the product's
 * names its classes), with the product's problem+json mappers.
 */
@ApplicationPath("api/v1/probe")
public class ProbeApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return RestApplication.with(Set.of(ProbeResource.class));
  }
}
