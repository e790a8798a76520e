package dev.statusmessenger.rest;

import dev.statusmessenger.wire.JsonPlatform;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.statusmessenger.LogLevel;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.dispatch.Publisher;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.Page;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.task.Task;
import dev.statusmessenger.task.TaskRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Tasks over HTTP: workers create tasks and post log lines (one, or a batch); viewers read a
 * task, its subtasks and its log history.
 */
@Path("tasks")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks")
@SecurityRequirement(name = ApiDocs.BEARER)
public class TaskResource {

  private static final int MAX_TASK_BODY_BYTES = 16 * 1024;
  private static final int MAX_LOG_BODY_BYTES = 4 * 1024 * 1024;
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_TREE_DEPTH = 16;

  @Inject MessengerConfig config;
  @Inject Access access;
  @Inject Publisher publisher;
  @Inject TaskRegistry tasks;
  @Inject StreamStore store;
  @Inject IdempotencyKeys idempotency;

  /** Creates a task, optionally a subtask of {@code parent} and for a {@code session}. */
  @POST
  @Operation(summary = "Create a task", description = "Optionally a subtask of parent, and for a session whose token may then read it.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = @ExampleObject(name = "task", value = "{\"description\":\"nightly import\",\"session\":\"" + ApiDocs.SESSION_EXAMPLE + "\"}")))
  @APIResponse(
      responseCode = "201",
      description = "The new task",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = @ExampleObject(name = "created", value = "{\"task_id\":\"" + ApiDocs.TASK_EXAMPLE + "\",\"created_at\":\"2026-11-23T16:00:00Z\"}")))
  @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(mediaType = ApiDocs.PROBLEM, examples = @ExampleObject(name = "invalid", value = ApiDocs.PROBLEM_EXAMPLE)))
  @APIResponse(responseCode = "403", description = "Not a producer key")
  @APIResponse(responseCode = "404", description = "Unknown parent task")
  public Response create(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "Makes a retried POST count once within the history window", example = "batch-0001")
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream body) {
    access.requireProducer(authorization);
    JsonObject json = JsonBodies.readObject(body, MAX_TASK_BODY_BYTES);
    String description = JsonBodies.optionalString(json, "description");
    String parent = JsonBodies.optionalString(json, "parent");
    String session = JsonBodies.optionalString(json, "session");
    return idempotency.once(
        "tasks",
        idempotencyKey,
        () -> {
          Task task = tasks.create(description, parent, session);
          JsonObjectBuilder out =
              JsonPlatform.JSON.createObjectBuilder()
                  .add("task_id", task.id())
                  .add("created_at", task.createdAt().toString());
          return Response.status(Response.Status.CREATED).entity(out.build().toString()).build();
        });
  }

  /** The task and its subtasks, with the log's position (a valid {@code since} for the socket). */
  @GET
  @Path("{task}")
  @Operation(summary = "Read a task and its subtasks", description = "With the log's position, a valid since for the socket.")
  @APIResponse(
      responseCode = "200",
      description = "The task",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "task",
                      value = "{\"task_id\":\"" + ApiDocs.TASK_EXAMPLE + "\",\"description\":\"nightly import\",\"created_at\":\"2026-11-23T16:00:00Z\",\"seq\":3,\"subtasks\":[]}")))
  @APIResponse(responseCode = "403", description = "Neither a producer key nor a token of the task's session")
  @APIResponse(responseCode = "404", description = "No such task")
  public Response get(
      @Parameter(description = "The task id", example = ApiDocs.TASK_EXAMPLE) @PathParam("task") String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    Task task = require(taskId);
    access.requireProducerOrSessionHolder(authorization, task.session());
    return Response.ok(describe(task, 0).build().toString()).build();
  }

  /** One log line or an array of them, appended in order. */
  @POST
  @Path("{task}/logs")
  @Operation(summary = "Post log lines to a task", description = "One line or an array of up to 1,000, appended in order; they also appear in the ancestors' logs.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = {
                @ExampleObject(name = "one line", value = "{\"level\":\"info\",\"message\":\"fetched 120 rows\"}"),
                @ExampleObject(
                    name = "several lines",
                    value = "[{\"level\":\"info\",\"message\":\"fetched 120 rows\"},{\"level\":\"warning\",\"message\":\"3 rows skipped\",\"metadata\":{\"rows\":[7,9,80]}}]")
              }))
  @APIResponse(
      responseCode = "202",
      description = "Accepted: the last line's seq (and the count, for an array)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = "{\"seq\":12,\"count\":2}")))
  @APIResponse(responseCode = "400", description = "Invalid line", content = @Content(mediaType = ApiDocs.PROBLEM, examples = @ExampleObject(name = "invalid", value = ApiDocs.PROBLEM_EXAMPLE)))
  @APIResponse(responseCode = "403", description = "Not a producer key")
  @APIResponse(responseCode = "404", description = "No such task")
  @APIResponse(responseCode = "413", description = "Above a size limit")
  public Response postLogs(
      @Parameter(description = "The task id", example = ApiDocs.TASK_EXAMPLE) @PathParam("task") String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "Makes a retried POST count once within the history window", example = "batch-0001")
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream body) {
    access.requireProducer(authorization);
    require(taskId);
    JsonStructure json = JsonBodies.read(body, MAX_LOG_BODY_BYTES);
    boolean single = json instanceof JsonObject;
    List<MessageDraft.Log> lines = single ? List.of(line(taskId, (JsonObject) json, -1)) : lines(taskId, (JsonArray) json);
    return idempotency.once(
        "logs:" + taskId,
        idempotencyKey,
        () -> {
          List<Message> appended = publisher.logLines(taskId, lines);
          long last = appended.get(appended.size() - 1).seq();
          JsonObjectBuilder out = JsonPlatform.JSON.createObjectBuilder().add("seq", last);
          if (!single) {
            out.add("count", appended.size());
          }
          return Response.accepted(out.build().toString()).type(MediaType.APPLICATION_JSON).build();
        });
  }

  /**
   * Log lines of the task and its subtasks, oldest first. Without {@code since}, the latest
   * {@code limit} lines; with it, the first {@code limit} after it. {@code level} keeps that level
   * and above. {@code seq} in the answer is a valid {@code since} for the socket.
   */
  @GET
  @Path("{task}/logs")
  @Operation(summary = "Read a task's log", description = "Lines of the task and its subtasks, oldest first; seq in the answer is a valid since for the socket.")
  @APIResponse(
      responseCode = "200",
      description = "A page of log lines",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "lines",
                      value =
                          "{\"task_id\":\"" + ApiDocs.TASK_EXAMPLE + "\",\"lines\":[{\"type\":\"log\",\"task\":\"" + ApiDocs.TASK_EXAMPLE
                              + "\",\"level\":\"info\",\"message\":\"fetched 120 rows\",\"metadata\":{},\"seq\":1,\"ts\":\"2026-11-23T16:00:00Z\"}],\"seq\":1,\"reset\":false}")))
  @APIResponse(responseCode = "403", description = "Neither a producer key nor a token of the task's session")
  @APIResponse(responseCode = "404", description = "No such task")
  public Response getLogs(
      @Parameter(description = "The task id", example = ApiDocs.TASK_EXAMPLE) @PathParam("task") String taskId,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "At most this many lines", example = "50") @QueryParam("limit") String limitParam,
      @Parameter(description = "The last seq already seen; without it, the latest lines", example = "0") @QueryParam("since") String sinceParam,
      @Parameter(description = "Keep this level and above: debug, info, warning, error, critical", example = "warning") @QueryParam("level") String levelParam) {
    Task task = require(taskId);
    access.requireProducerOrSessionHolder(authorization, task.session());
    long limit = JsonBodies.cursorParam("limit", limitParam, DEFAULT_LIMIT);
    if (limit < 1 || limit > config.taskHistorySize()) {
      throw Problem.badRequest("\"limit\" must be from 1 to " + config.taskHistorySize());
    }
    Predicate<Message> filter = levelFilter(levelParam);
    String key = StreamKeys.task(taskId);
    Page page =
        sinceParam == null
            ? store.tail(key, (int) limit, filter)
            : store.page(key, JsonBodies.cursorParam("since", sinceParam, 0), (int) limit, filter);
    StringBuilder out = new StringBuilder(256).append("{\"task_id\":\"").append(taskId).append("\",\"lines\":[");
    for (int i = 0; i < page.messages().size(); i++) {
      out.append(i == 0 ? "" : ",").append(page.messages().get(i).frame());
    }
    out.append("],\"seq\":").append(page.seq()).append(",\"reset\":").append(page.reset()).append('}');
    return Response.ok(out.toString()).build();
  }

  private Task require(String taskId) {
    if (!Ids.isValid(taskId)) {
      throw Problem.badRequest("Not a valid task id: it must match " + Ids.VALID.pattern());
    }
    return tasks.find(taskId).orElseThrow(() -> Problem.notFound("No such task: " + taskId));
  }

  private List<MessageDraft.Log> lines(String taskId, JsonArray array) {
    if (array.isEmpty()) {
      throw Problem.badRequest("The array of log lines is empty");
    }
    if (array.size() > config.maxLogBatch()) {
      throw new Problem(
          Response.Status.REQUEST_ENTITY_TOO_LARGE,
          "A batch holds at most " + config.maxLogBatch() + " lines; this one has " + array.size());
    }
    List<MessageDraft.Log> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof JsonObject line)) {
        throw Problem.badRequest("Line " + (i + 1) + ": a log line must be a JSON object");
      }
      out.add(line(taskId, line, i));
    }
    return out;
  }

  /** One checked line; {@code index} names it in errors, counting from 1 (-1 for a single line). */
  private MessageDraft.Log line(String taskId, JsonObject json, int index) {
    String where = index < 0 ? "" : "Line " + (index + 1) + ": ";
    try {
      String levelName = JsonBodies.requiredString(json, "level");
      LogLevel level =
          LogLevel.fromWireName(levelName)
              .orElseThrow(
                  () ->
                      Problem.badRequest(
                          "unknown \"level\" '" + levelName
                              + "'; use debug, info, warning, error or critical"));
      String message = JsonBodies.requiredString(json, "message");
      JsonObject metadata = JsonBodies.optionalObject(json, "metadata");
      return publisher.logLine(taskId, level, message, metadata);
    } catch (Problem p) {
      throw index < 0 ? p : new Problem(Response.Status.BAD_REQUEST, where + p.getMessage());
    } catch (dev.statusmessenger.MessageTooLargeException e) {
      throw new Problem(Response.Status.REQUEST_ENTITY_TOO_LARGE, where + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(where + e.getMessage());
    }
  }

  private static Predicate<Message> levelFilter(String levelParam) {
    if (levelParam == null || levelParam.isBlank()) {
      return m -> true;
    }
    LogLevel minimum =
        LogLevel.fromWireName(levelParam.trim())
            .orElseThrow(
                () ->
                    Problem.badRequest(
                        "\"level\" must be debug, info, warning, error or critical"));
    return m -> m.content() instanceof MessageDraft.Log log && log.level().atLeast(minimum);
  }

  private JsonObjectBuilder describe(Task task, int depth) {
    JsonObjectBuilder out =
        JsonPlatform.JSON.createObjectBuilder()
            .add("task_id", task.id())
            .add("description", task.description())
            .add("created_at", task.createdAt().toString())
            .add("seq", store.seq(StreamKeys.task(task.id())));
    out.add("parent", task.parent() == null ? JsonValue.NULL : JsonPlatform.JSON.createValue(task.parent()));
    out.add("session", task.session() == null ? JsonValue.NULL : JsonPlatform.JSON.createValue(task.session()));
    JsonArrayBuilder subtasks = JsonPlatform.JSON.createArrayBuilder();
    if (depth < MAX_TREE_DEPTH) {
      for (Task child : tasks.children(task.id())) {
        subtasks.add(describe(child, depth + 1));
      }
    }
    return out.add("subtasks", subtasks);
  }
}
