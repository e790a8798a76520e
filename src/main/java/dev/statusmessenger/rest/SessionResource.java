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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.List;

/** Sessions over HTTP: create one, post its status and events, read its status and history. */
@Path("sessions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {

  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int DEFAULT_LIMIT = 100;

  @Inject MessengerConfig config;
  @Inject Credentials credentials;
  @Inject Access access;
  @Inject Publisher publisher;
  @Inject StreamStore store;
  @Inject IdempotencyKeys idempotency;
  @Inject SessionCreationLimit creationLimit;

  /** Creates a session with an unguessable id and a token to read it. */
  @POST
  @Operation(
      summary = "Create a session",
      description = "Mints a session id (128 random bits or more) and a token to read it. Rate limited.")
  @APIResponse(
      responseCode = "201",
      description = "The new session and its token",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "created",
                      value =
                          "{\"session\":\"" + ApiDocs.SESSION_EXAMPLE + "\",\"token\":\""
                              + ApiDocs.SESSION_EXAMPLE + ".1764000000.c2lnbmF0dXJl\","
                              + "\"expires_at\":\"2026-11-24T16:00:00Z\"}")))
  @APIResponse(responseCode = "429", description = "Too many sessions created from this address; see Retry-After")
  public Response create(@Context HttpServletRequest request) {
    creationLimit.acquire(request.getRemoteAddr());
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
  @Operation(
      summary = "Post a session's status",
      description = "The session's new current status, delivered to its sockets in order. 202 means ordered and stored.")
  @SecurityRequirement(name = ApiDocs.BEARER)
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = @ExampleObject(name = "status", value = "{\"message\":\"Step 2 of 5: parsing\"}")))
  @APIResponse(
      responseCode = "202",
      description = "Accepted: its seq in the session's stream",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = "{\"seq\":7}")))
  @APIResponse(responseCode = "400", description = "Invalid id or body", content = @Content(mediaType = ApiDocs.PROBLEM, examples = @ExampleObject(name = "invalid", value = ApiDocs.PROBLEM_EXAMPLE)))
  @APIResponse(responseCode = "401", description = "No credential")
  @APIResponse(responseCode = "403", description = "Not a producer key")
  @APIResponse(responseCode = "413", description = "Above a size limit")
  @APIResponse(responseCode = "503", description = "Overloaded: retry after Retry-After")
  public Response postStatus(
      @Parameter(description = "The session id: [A-Za-z0-9_-]{1,128}", example = ApiDocs.SESSION_EXAMPLE) @PathParam("session") String session,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "Makes a retried POST count once within the history window", example = "retry-0001")
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
  @Operation(
      summary = "Post an event to a session",
      description = "A structured agent event, delivered to the session's sockets in order (and to Google Cloud Pub/Sub where the export is on).")
  @SecurityRequirement(name = ApiDocs.BEARER)
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "event",
                      value = "{\"event_type\":\"tool_interaction\",\"data\":{\"tool\":\"calculator\",\"output\":\"4\"}}")))
  @APIResponse(
      responseCode = "202",
      description = "Accepted: its seq in the session's stream",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = "{\"seq\":8}")))
  @APIResponse(responseCode = "400", description = "Invalid id or body", content = @Content(mediaType = ApiDocs.PROBLEM, examples = @ExampleObject(name = "invalid", value = ApiDocs.PROBLEM_EXAMPLE)))
  @APIResponse(responseCode = "401", description = "No credential")
  @APIResponse(responseCode = "403", description = "Not a producer key")
  @APIResponse(responseCode = "413", description = "Above a size limit")
  @APIResponse(responseCode = "503", description = "Overloaded: retry after Retry-After")
  public Response postEvent(
      @Parameter(description = "The session id: [A-Za-z0-9_-]{1,128}", example = ApiDocs.SESSION_EXAMPLE) @PathParam("session") String session,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "Makes a retried POST count once within the history window", example = "retry-0001")
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
  @Operation(summary = "Read a session's current status", description = "Its seq is a valid since for the socket.")
  @SecurityRequirement(name = ApiDocs.BEARER)
  @APIResponse(
      responseCode = "200",
      description = "The current status",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = @ExampleObject(name = "status", value = "{\"data\":\"Step 2 of 5: parsing\",\"seq\":7,\"ts\":\"2026-11-23T16:00:00.123Z\"}")))
  @APIResponse(responseCode = "403", description = "Not a valid token of this session")
  @APIResponse(responseCode = "404", description = "The session has no status yet")
  public Response getStatus(
      @Parameter(description = "The session id: [A-Za-z0-9_-]{1,128}", example = ApiDocs.SESSION_EXAMPLE) @PathParam("session") String session,
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
  @Operation(
      summary = "Read a session's history",
      description = "Messages after since, oldest first, as the socket's frames; reset says history no longer reaches back to since.")
  @SecurityRequirement(name = ApiDocs.BEARER)
  @APIResponse(
      responseCode = "200",
      description = "A page of history",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "page",
                      value =
                          "{\"messages\":[{\"type\":\"status\",\"data\":\"Searching flights\",\"seq\":1,\"ts\":\"2026-11-23T16:00:00Z\"}],"
                              + "\"seq\":1,\"reset\":false}")))
  @APIResponse(responseCode = "403", description = "Not a valid token of this session")
  @APIResponse(responseCode = "404", description = "The session has no messages")
  public Response getMessages(
      @Parameter(description = "The session id: [A-Za-z0-9_-]{1,128}", example = ApiDocs.SESSION_EXAMPLE) @PathParam("session") String session,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "The last seq already seen (0 for all)", example = "0") @QueryParam("since") String sinceParam,
      @Parameter(description = "At most this many messages (1 to the history size)", example = "50") @QueryParam("limit") String limitParam) {
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
