package dev.statusmessenger.dispatch;

import dev.statusmessenger.wire.JsonPlatform;
import dev.statusmessenger.LogLevel;
import dev.statusmessenger.MessageTooLargeException;
import dev.statusmessenger.Publication;
import dev.statusmessenger.UnknownTaskException;
import dev.statusmessenger.OverloadedException;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.platform.Unproxied;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.stream.TrafficStats;
import dev.statusmessenger.task.TaskRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * This publisher is the one way in for every producer (the Java API, the HTTP API): it checks a
 * message against the limits, appends it to its stream (a session's, a task's log and its
 * ancestors'), and hands it to the dispatcher.
 * It returns once the message is ordered and stored, never waiting for a socket.
 */
@ApplicationScoped
public class Publisher {

  private static final int MAX_EVENT_TYPE_LENGTH = 128;

  @Inject MessengerConfig config;
  @Inject StreamStore store;
  @Inject Dispatcher dispatcher;
  @Inject TaskRegistry tasks;
  @Inject TrafficStats stats;
  @Inject EventExport export = EventExport.NONE;
  @Inject BeanManager beans;

  /** The beans every message calls, without their client proxies (see {@link Unproxied}). */
  private volatile Direct direct;

  private record Direct(MessengerConfig config, StreamStore store, TrafficStats stats, EventExport export) {}

  private Jsonb jsonb;

  /** Appends a status to the session's stream. */
  public Message status(String sessionId, String text) {
    return publish(sessionId, statusDraft(sessionId, text));
  }

  /**
   * Checks a status against the limits and makes it a draft, not yet ordered.
   *
   * @throws IllegalArgumentException saying what is wrong ({@link MessageTooLargeException} for size)
   */
  public MessageDraft.Status statusDraft(String sessionId, String text) {
    requireSession(sessionId);
    if (text == null) {
      throw new IllegalArgumentException("A status needs a text (\"message\")");
    }
    int bytes = utf8Length(text);
    int limit = direct().config().maxStatusBytes();
    if (bytes > limit) {
      throw new MessageTooLargeException("Status text is " + bytes + " bytes; the limit is " + limit);
    }
    return new MessageDraft.Status(text);
  }

  /** Appends an event to the session's stream. */
  public Message event(String sessionId, String eventType, JsonObject data) {
    return publish(sessionId, eventDraft(sessionId, eventType, data));
  }

  /**
   * Appends statuses and events to their sessions' streams, after checking every item: either all
   * are appended, in order, or none is.
   *
   * @return the {@code seq} of each item in its session's stream
   * @throws IllegalArgumentException naming the first bad item ({@code Item 1: …}, counting from 1)
   */
  public List<Long> publish(List<? extends Publication> items) {
    return publishPrepared(items, prepare(items));
  }

  /** Checks every item against the limits, in order, naming the first bad one; orders none. */
  MessageDraft[] prepare(List<? extends Publication> items) {
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("Nothing to publish: give at least one item");
    }
    if (items.size() > config.maxLogBatch()) {
      throw new MessageTooLargeException(
          items.size() + " items; the limit is " + config.maxLogBatch() + " in one publish");
    }
    MessageDraft[] drafts = new MessageDraft[items.size()];
    for (int i = 0; i < drafts.length; i++) {
      try {
        drafts[i] = draftOf(items.get(i));
      } catch (MessageTooLargeException e) {
        throw new MessageTooLargeException("Item " + (i + 1) + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Item " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return drafts;
  }

  /** Orders and stores items {@link #prepare prepared} earlier, all of them, in order. */
  List<Long> publishPrepared(List<? extends Publication> items, MessageDraft[] drafts) {
    requireCapacity();
    Long[] seqs = new Long[drafts.length];
    for (int i = 0; i < drafts.length; i++) {
      seqs[i] = publish(items.get(i).session(), drafts[i]).seq();
    }
    return List.of(seqs);
  }

  private MessageDraft draftOf(Publication item) {
    if (item instanceof Publication.Status s) {
      return statusDraft(s.session(), s.text());
    }
    if (item instanceof Publication.Event e) {
      return eventDraft(e.session(), e.eventType(), toJsonObject(e.data()));
    }
    throw new IllegalArgumentException("An item must be a status or an event");
  }

  /** Checks an event against the limits and makes it a draft, not yet ordered. */
  public MessageDraft.Event eventDraft(String sessionId, String eventType, JsonObject data) {
    requireSession(sessionId);
    if (eventType == null || eventType.isBlank()) {
      throw new IllegalArgumentException("An event needs an \"event_type\"");
    }
    if (eventType.length() > MAX_EVENT_TYPE_LENGTH) {
      throw new IllegalArgumentException(
          "\"event_type\" is longer than " + MAX_EVENT_TYPE_LENGTH + " characters");
    }
    JsonObject payload = data == null ? JsonValue.EMPTY_JSON_OBJECT : data;
    MessageDraft.Event event = new MessageDraft.Event(eventType, payload); // encodes data once
    int bytes = utf8Length(event.dataJson());
    int limit = direct().config().maxEventBytes();
    if (bytes > limit) {
      throw new MessageTooLargeException("Event data is " + bytes + " bytes of JSON; the limit is " + limit);
    }
    return event;
  }

  /** Appends an event whose data is a Java map (or anything JSON-B binds to a JSON object). */
  public Message event(String sessionId, String eventType, Map<String, ?> data) {
    return event(sessionId, eventType, toJsonObject(data));
  }

  /**
   * Checks a log line against the limits and makes it a draft of the given task.
   *
   * @throws IllegalArgumentException saying what is wrong ({@link MessageTooLargeException} for size)
   */
  public MessageDraft.Log logLine(String taskId, LogLevel level, String message, JsonObject metadata) {
    if (level == null) {
      throw new IllegalArgumentException("A log line needs a \"level\"");
    }
    if (message == null) {
      throw new IllegalArgumentException("A log line needs a \"message\"");
    }
    int bytes = utf8Length(message);
    int limit = direct().config().maxLogMessageBytes();
    if (bytes > limit) {
      throw new MessageTooLargeException("\"message\" is " + bytes + " bytes; the limit is " + limit);
    }
    JsonObject meta = metadata == null ? JsonValue.EMPTY_JSON_OBJECT : metadata;
    MessageDraft.Log line = new MessageDraft.Log(taskId, level, message, meta); // encodes metadata once
    int metaBytes = utf8Length(line.metadataJson());
    int metaLimit = direct().config().maxMetadataBytes();
    if (metaBytes > metaLimit) {
      throw new MessageTooLargeException(
          "\"metadata\" is " + metaBytes + " bytes of JSON; the limit is " + metaLimit);
    }
    return line;
  }

  /** Appends one log line to a task's log and to the logs of its ancestors. */
  public Message log(String taskId, LogLevel level, String message, Map<String, ?> metadata) {
    return logLines(taskId, List.of(logLine(taskId, level, message, toJsonObject(metadata)))).get(0);
  }

  /**
   * Appends checked log lines to a task's log as one contiguous run, and to each ancestor's log, so
   * a viewer of a task sees the whole tree's work.
   *
   * @return the lines as ordered in the task's own log
   * @throws UnknownTaskException where the task does not exist
   */
  public List<Message> logLines(String taskId, List<MessageDraft.Log> lines) {
    List<String> lineage = tasks.lineage(taskId);
    if (lineage.isEmpty()) {
      throw new UnknownTaskException(taskId);
    }
    requireCapacity();
    Direct d = direct();
    List<Message> own = d.store().appendAll(StreamKeys.task(taskId), lines, dispatcher::dispatch);
    for (Message line : own) {
      d.stats().accepted(line);
    }
    for (int i = 1; i < lineage.size(); i++) {
      d.store().appendAll(StreamKeys.task(lineage.get(i)), lines, dispatcher::dispatch);
    }
    return own;
  }

  /**
   * Refuses new messages while delivery is too far behind.
   *
   * @throws OverloadedException where the dispatcher's queue is at its limit
   */
  public void requireCapacity() {
    if (!dispatcher.hasCapacity()) {
      throw new OverloadedException(
          "Delivery is " + dispatcher.queued() + " messages behind; retry shortly");
    }
  }

  /** Orders and stores a checked draft (status or event) in the session's stream, for delivery. */
  public Message publish(String sessionId, MessageDraft draft) {
    requireCapacity();
    Direct d = direct();
    Message message = d.store().append(StreamKeys.session(sessionId), draft, dispatcher::dispatch);
    d.stats().accepted(message);
    d.export().accepted(message);
    return message;
  }

  private Direct direct() {
    Direct d = direct;
    if (d == null) {
      d = new Direct(
          Unproxied.of(beans, config, MessengerConfig.class), Unproxied.of(beans, store, StreamStore.class),
          Unproxied.of(beans, stats, TrafficStats.class), Unproxied.of(beans, export, EventExport.class));
      direct = d;
    }
    return d;
  }

  /** A Java map (or anything JSON-B binds to an object) as a JSON object; null gives {}. */
  public JsonObject toJsonObject(Map<String, ?> data) {
    if (data == null) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (data instanceof JsonObject json) {
      return json;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) data;
      return JsonPlatform.JSON.createObjectBuilder(map).build();
    } catch (IllegalArgumentException | ClassCastException notPlainJson) {
      // values JSON-P does not know (records, beans, dates): let JSON-B bind them
      try (var reader = JsonPlatform.JSON.createReader(new StringReader(jsonb().toJson(data)))) {
        return reader.readObject();
      }
    }
  }

  private synchronized Jsonb jsonb() {
    if (jsonb == null) {
      jsonb = JsonbBuilder.create();
    }
    return jsonb;
  }

  private static void requireSession(String sessionId) {
    if (!Ids.isValid(sessionId)) {
      throw new IllegalArgumentException(
          "Not a valid session id: it must match " + Ids.VALID.pattern());
    }
  }

  private static int utf8Length(String text) {
    // exact for the limits' purpose without allocating the encoded bytes for short texts
    return text.length() < 1024 ? text.getBytes(StandardCharsets.UTF_8).length : utf8Count(text);
  }

  private static int utf8Count(CharSequence text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        count++;
      } else if (c < 0x800) {
        count += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        count += 4;
        i++;
      } else {
        count += 3;
      }
    }
    return count;
  }
}
