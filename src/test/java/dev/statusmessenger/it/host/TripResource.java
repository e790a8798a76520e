package dev.statusmessenger.it.host;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The sample host application's own resource. Its {@code {session}} path parameter makes that
 * session current (status-messenger's filter, picked up from the library jar), so the agent never
 * passes it.
 */
@Path("trips/{session}")
@Produces(MediaType.APPLICATION_JSON)
public class TripResource {

  @Inject TripAgent agent;

  @POST
  @Path("now")
  public String now(@PathParam("session") String session, String text) {
    return Json.createObjectBuilder().add("visible_at_once", agent.planNow(text)).build().toString();
  }

  @POST
  @Path("commit")
  public String commit(@PathParam("session") String session, String text) {
    return Json.createObjectBuilder()
        .add("visible_before_commit", agent.planAndCommit(text))
        .build()
        .toString();
  }

  @POST
  @Path("rollback")
  public String rollback(@PathParam("session") String session, String text) {
    try {
      agent.planAndFail(text);
      return Json.createObjectBuilder().add("rolled_back", false).build().toString();
    } catch (IllegalStateException expected) {
      return Json.createObjectBuilder().add("rolled_back", true).build().toString();
    }
  }
}
