package dev.statusmessenger.demo;

import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.rest.Problem;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Starts the demo agent for the session whose token the request carries: the request's current
 * session, which the agent then reports to without being told.
 */
@Path("agent")
public class DemoResource {

  @Inject MessengerConfig config;
  @Inject StatusMessenger messenger;
  @Inject DemoAgent agent;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Tag(name = "demo", description = "The demo agent (status-messenger.demo-enabled)")
  @Operation(summary = "Run the demo agent", description = "For the session whose token the request carries.")
  @SecurityRequirement(name = "bearer")
  @APIResponse(
      responseCode = "202",
      description = "The agent started for this session",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "started", value = "{\"session\":\"Q2VxNd0y7bbq1S0Pzv3n0w5JzKc9Hq2u\"}")))
  @APIResponse(responseCode = "401", description = "No session token")
  @APIResponse(responseCode = "404", description = "The demo is turned off")
  public Response start() {
    if (!config.demoEnabled()) {
      throw Problem.notFound("The demo is turned off (status-messenger.demo-enabled=false)");
    }
    String session =
        messenger
            .currentSession()
            .orElseThrow(
                () ->
                    new Problem(
                        Response.Status.UNAUTHORIZED,
                        "Send the session token: Authorization: Bearer <token>"));
    agent.start("A flight from Lisbon to Amsterdam on Friday, window seat");
    return Response.accepted(Json.createObjectBuilder().add("session", session).build().toString())
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
