package dev.statusmessenger.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
public class RestApplication extends Application {}
