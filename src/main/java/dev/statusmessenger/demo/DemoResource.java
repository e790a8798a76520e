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

/**
 * Starts the demo agent for the session whose token the request carries: the request's current
 * session, which the agent then reports to without being told.
 */
@Path("demo/agent")
public class DemoResource {

  @Inject MessengerConfig config;
  @Inject StatusMessenger messenger;
  @Inject DemoAgent agent;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
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
