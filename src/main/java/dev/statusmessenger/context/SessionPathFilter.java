package dev.statusmessenger.context;

import dev.statusmessenger.auth.Ids;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Makes the session named by a JAX-RS {@code {session}} path parameter current for the rest of the
 * request, in this application's resources and the host application's alike.
 */
@Provider
public class SessionPathFilter implements ContainerRequestFilter {

  /** The path parameter that names the current session. */
  public static final String SESSION_PARAM = "session";

  @Override
  public void filter(ContainerRequestContext request) {
    String sessionId = request.getUriInfo().getPathParameters().getFirst(SESSION_PARAM);
    if (Ids.isValid(sessionId)) {
      CurrentSession.setInOpenScope(sessionId);
    }
  }
}
