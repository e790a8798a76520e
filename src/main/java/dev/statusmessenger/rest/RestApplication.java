package dev.statusmessenger.rest;

import dev.statusmessenger.context.SessionPathFilter;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The HTTP API, under {@code /api/v1}, described on {@code /openapi}. */
@ApplicationPath("api/v1")
@OpenAPIDefinition(
    info =
        @Info(
            title = "status-messenger",
            version = "1",
            description =
                "Live agent status, events and task logs to one browser session. Producers post"
                    + " with a producer key, session holders read with the session's token (both as"
                    + " Authorization: Bearer). Browsers receive the same messages live on the"
                    + " WebSocket /ws/{session} (and a task's log on /ws/tasks/{task}); see"
                    + " docs/protocol.md. Errors are application/problem+json (RFC 9457)."),
    tags = {
      @Tag(name = "sessions", description = "Sessions: their status, events and history"),
      @Tag(name = "tasks", description = "Tasks, subtasks and their logs")
    })
@SecurityScheme(
    securitySchemeName = ApiDocs.BEARER,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "A producer key (to post) or a session token (to read that session)")
public class RestApplication extends Application {

  /**
   * The API's own classes, named rather than scanned: in library mode the host application's
   * resources stay out of {@code /api/v1}, and the demo (absent from the library jar) is not named.
   */
  @Override
  public Set<Class<?>> getClasses() {
    return with(Set.of(SessionResource.class, TaskResource.class, PublishResource.class));
  }

  /** The given resources with the providers every status-messenger API needs. */
  public static Set<Class<?>> with(Set<Class<?>> resources) {
    Set<Class<?>> all = new HashSet<>(resources);
    all.addAll(
        List.of(
            SessionPathFilter.class,
            ProblemMappers.WebApplication.class,
            ProblemMappers.InvalidInput.class,
            ProblemMappers.MalformedJson.class,
            ProblemMappers.IllegalState.class,
            ProblemMappers.Unexpected.class));
    return Set.copyOf(all);
  }
}
