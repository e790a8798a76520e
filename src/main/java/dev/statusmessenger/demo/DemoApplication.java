package dev.statusmessenger.demo;

import dev.statusmessenger.rest.RestApplication;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The demo's endpoint, {@code /api/v1/demo/agent}, as an application of its own, so the library
 * jar (which leaves the demo out) carries no reference to it.
 */
@ApplicationPath("api/v1/demo")
public class DemoApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return RestApplication.with(Set.of(DemoResource.class));
  }
}
