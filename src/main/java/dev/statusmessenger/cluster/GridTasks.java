package dev.statusmessenger.cluster;

import com.hazelcast.map.IMap;
import dev.statusmessenger.task.Task;
import dev.statusmessenger.wire.JsonPlatform;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * These tasks live in the data grid: one entry per task (JSON, with its subtasks' ids), idle-expiring
 * after the task history TTL; every read of a task (a log line names its lineage) keeps it alive.
 */
public final class GridTasks {

  private static final long LOCK_LEASE_SECONDS = 30;

  private final IMap<String, String> tasks;
  private final Supplier<Duration> idle;

  GridTasks(IMap<String, String> tasks, Supplier<Duration> idle) {
    this.tasks = tasks;
    this.idle = idle;
  }

  /** Stores a new task and adds it to its parent's subtasks. */
  public void put(Task task) {
    long idleSeconds = Math.max(1, idle.get().toSeconds());
    tasks.set(task.id(), encode(task, List.of()), 0, TimeUnit.SECONDS, idleSeconds, TimeUnit.SECONDS);
    if (task.parent() == null) {
      return;
    }
    tasks.lock(task.parent(), LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
    try {
      String parent = tasks.get(task.parent());
      if (parent != null) {
        JsonObject json = JsonPlatform.parseObject(parent);
        List<String> children = new ArrayList<>(childIds(json));
        children.add(task.id());
        tasks.set(
            task.parent(), encode(decode(json), children), 0, TimeUnit.SECONDS, idleSeconds,
            TimeUnit.SECONDS);
      }
    } finally {
      tasks.unlock(task.parent());
    }
  }

  public Optional<Task> find(String id) {
    String value = tasks.get(id);
    return value == null ? Optional.empty() : Optional.of(decode(JsonPlatform.parseObject(value)));
  }

  /** The task's direct subtasks that still exist, oldest first. */
  public List<Task> children(String id) {
    String value = tasks.get(id);
    if (value == null) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>(childIds(JsonPlatform.parseObject(value)));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Task> out = new ArrayList<>();
    for (String child : tasks.getAll(ids).values()) {
      out.add(decode(JsonPlatform.parseObject(child)));
    }
    out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    return out;
  }

  /** Keeps the tasks watched on this node from expiring. */
  void touch(Set<String> ids) {
    if (!ids.isEmpty()) {
      tasks.getAll(ids);
    }
  }

  private static String encode(Task task, List<String> children) {
    JsonObjectBuilder out =
        JsonPlatform.JSON.createObjectBuilder()
            .add("id", task.id())
            .add("description", task.description())
            .add("created_at", task.createdAt().toString());
    out.add("parent", task.parent() == null ? JsonValue.NULL : JsonPlatform.JSON.createValue(task.parent()));
    out.add("session", task.session() == null ? JsonValue.NULL : JsonPlatform.JSON.createValue(task.session()));
    JsonArrayBuilder ids = JsonPlatform.JSON.createArrayBuilder();
    children.forEach(ids::add);
    return out.add("children", ids).build().toString();
  }

  private static Task decode(JsonObject json) {
    return new Task(
        json.getString("id"),
        json.getString("description"),
        json.isNull("parent") ? null : json.getString("parent"),
        json.isNull("session") ? null : json.getString("session"),
        Instant.parse(json.getString("created_at")));
  }

  private static List<String> childIds(JsonObject json) {
    return json.getJsonArray("children").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }
}
