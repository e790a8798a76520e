package dev.statusmessenger.rest;

import dev.statusmessenger.wire.JsonPlatform;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.dispatch.Publisher;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.Page;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/** Sessions over HTTP: create one, post its status and events, read its status and history. */
@Path("sessions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int DEFAULT_LIMIT = 100;

  @Inject MessengerConfig config;
  @Inject Credentials credentials;
  @Inject Access access;
  @Inject Publisher publisher;
  @Inject StreamStore store;
  @Inject IdempotencyKeys idempotency;

  /** Creates a session with an unguessable id and a token to read it. */
  @POST
  public Response create() {
    String session = Ids.mint();
    String token = credentials.tokens().issue(session);
    JsonObject body =
        JsonPlatform.JSON.createObjectBuilder()
            .add("session", session)
            .add("token", token)
            .add("expires_at", credentials.tokens().expiryOfNewToken().toString())
            .build();
    return Response.status(Response.Status.CREATED).entity(body.toString()).build();
  }

  @POST
  @Path("{session}/status")
  public Response postStatus(
      @PathParam("session") String session,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream body) {
    access.requireProducer(authorization);
    requireValid(session);
    JsonObject json = JsonBodies.readObject(body, MAX_BODY_BYTES);
    String text = JsonBodies.requiredString(json, "message");
    return idempotency.once(
        "status:" + session, idempotencyKey, () -> accepted(publisher.status(session, text)));
  }

  @POST
  @Path("{session}/events")
  public Response postEvent(
      @PathParam("session") String session,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream body) {
    access.requireProducer(authorization);
    requireValid(session);
    JsonObject json = JsonBodies.readObject(body, MAX_BODY_BYTES);
    String eventType = JsonBodies.requiredString(json, "event_type");
    JsonObject data = JsonBodies.optionalObject(json, "data");
    return idempotency.once(
        "events:" + session,
        idempotencyKey,
        () -> accepted(publisher.event(session, eventType, data)));
  }

  /** The current status; its {@code seq} is a valid {@code since} for the socket. */
  @GET
  @Path("{session}/status")
  public Response getStatus(
      @PathParam("session") String session,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    requireValid(session);
    access.requireSessionHolder(authorization, session);
    Message status =
        store
            .currentStatus(StreamKeys.session(session))
            .orElseThrow(() -> Problem.notFound("This session has no status yet"));
    JsonObject body =
        JsonPlatform.JSON.createObjectBuilder()
            .add("data", status.text())
            .add("seq", status.seq())
            .add("ts", status.ts().toString())
            .build();
    return Response.ok(body.toString()).build();
  }

  /**
   * History after {@code since}, oldest first. {@code seq} in the answer is where to go on from
   * (the last message given, or the stream's position); {@code reset} says history no longer
   * reaches back to {@code since}.
   */
  @GET
  @Path("{session}/messages")
  public Response getMessages(
      @PathParam("session") String session,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("since") String sinceParam,
      @QueryParam("limit") String limitParam) {
    requireValid(session);
    access.requireSessionHolder(authorization, session);
    long since = JsonBodies.cursorParam("since", sinceParam, 0);
    long limit = JsonBodies.cursorParam("limit", limitParam, DEFAULT_LIMIT);
    if (limit < 1 || limit > config.historySize()) {
      throw Problem.badRequest("\"limit\" must be from 1 to " + config.historySize());
    }
    String key = StreamKeys.session(session);
    if (!store.exists(key)) {
      throw Problem.notFound("This session has no messages");
    }
    Page page = store.page(key, since, (int) limit, m -> true);
    List<Message> messages = page.messages();
    StringBuilder out = new StringBuilder(256).append("{\"messages\":[");
    for (int i = 0; i < messages.size(); i++) {
      out.append(i == 0 ? "" : ",").append(messages.get(i).frame());
    }
    out.append("],\"seq\":").append(page.seq()).append(",\"reset\":").append(page.reset());
    out.append('}');
    return Response.ok(out.toString()).build();
  }

  private static Response accepted(Message message) {
    return Response.accepted("{\"seq\":" + message.seq() + "}")
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  private static void requireValid(String session) {
    if (!Ids.isValid(session)) {
      throw Problem.badRequest("Not a valid session id: it must match " + Ids.VALID.pattern());
    }
  }
}
