package dev.statusmessenger.task;

import dev.statusmessenger.UnknownTaskException;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.cluster.ClusterGrid;
import dev.statusmessenger.cluster.GridTasks;
import dev.statusmessenger.config.MessengerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * This registry holds every task by id, with its subtasks. A task exists only once created; one
 * that has been idle (no lines, no viewers) for the task history TTL is forgotten. On one node the
 * tasks are in this node's memory; in a cluster they are in Payara's data grid ({@link GridTasks}).
 */
@ApplicationScoped
public class TaskRegistry {

  /** Longest task description, in characters. */
  public static final int MAX_DESCRIPTION = 1024;

  private final ConcurrentHashMap<String, Entry> tasks = new ConcurrentHashMap<>();
  private MessengerConfig config;
  private Clock clock;
  private GridTasks grid; // null on a node that runs alone

  @Inject ClusterGrid cluster;

  protected TaskRegistry() {
    // for CDI proxies
  }

  @Inject
  public TaskRegistry(MessengerConfig config) {
    this(config, Clock.systemUTC());
  }

  public TaskRegistry(MessengerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @PostConstruct
  void connect() {
    grid = cluster == null ? null : cluster.tasks();
  }

  /**
   * Creates a task. A subtask belongs to its parent's session unless it names its own.
   *
   * @throws UnknownTaskException where the parent does not exist
   * @throws IllegalArgumentException where the description or session id is invalid
   */
  public Task create(String description, String parent, String session) {
    String text = description == null ? "" : description;
    if (text.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(
          "\"description\" is longer than " + MAX_DESCRIPTION + " characters");
    }
    if (session != null && !Ids.isValid(session)) {
      throw new IllegalArgumentException(
          "Not a valid session id: it must match " + Ids.VALID.pattern());
    }
    String owner = session;
    if (grid != null) {
      Task parentTask = parent == null ? null : find(parent).orElseThrow(() -> new UnknownTaskException(parent));
      Task task =
          new Task(Ids.mint(), text, parent, owner != null || parentTask == null ? owner : parentTask.session(),
              clock.instant());
      grid.put(task);
      return task;
    }
    Entry parentEntry = null;
    if (parent != null) {
      parentEntry = Ids.isValid(parent) ? tasks.get(parent) : null;
      if (parentEntry == null) {
        throw new UnknownTaskException(parent);
      }
      if (owner == null) {
        owner = parentEntry.task.session();
      }
    }
    Instant now = clock.instant();
    Task task = new Task(Ids.mint(), text, parent, owner, now);
    tasks.put(task.id(), new Entry(task, now));
    if (parentEntry != null) {
      parentEntry.children.add(task.id());
      parentEntry.lastActivity = now;
    }
    return task;
  }

  public Optional<Task> find(String id) {
    if (grid != null) {
      return id == null || !Ids.isValid(id) ? Optional.empty() : grid.find(id);
    }
    Entry e = id == null ? null : tasks.get(id);
    return e == null ? Optional.empty() : Optional.of(e.task);
  }

  /** The task, or an {@link UnknownTaskException}. */
  public Task require(String id) {
    return find(id).orElseThrow(() -> new UnknownTaskException(id));
  }

  /** The task's direct subtasks that still exist, oldest first. */
  public List<Task> children(String id) {
    if (grid != null) {
      return grid.children(id);
    }
    Entry e = tasks.get(id);
    if (e == null) {
      return List.of();
    }
    List<Task> out = new ArrayList<>();
    for (String child : e.children) {
      Entry c = tasks.get(child);
      if (c != null) {
        out.add(c.task);
      }
    }
    out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    return out;
  }

  /** The task and its ancestors, nearest first: every log a line of this task belongs to. */
  public List<String> lineage(String id) {
    List<String> out = new ArrayList<>(3);
    String current = id;
    if (grid != null) {
      while (current != null && out.size() < 64) {
        Task task = grid.find(current).orElse(null); // a read keeps the task from idling out
        if (task == null) {
          break;
        }
        out.add(current);
        current = task.parent();
      }
      return out;
    }
    while (current != null && out.size() < 64) {
      Entry e = tasks.get(current);
      if (e == null) {
        break;
      }
      out.add(current);
      e.lastActivity = clock.instant();
      current = e.task.parent();
    }
    return out;
  }

  /** Forgets tasks idle for the task history TTL that nobody watches; returns how many. */
  public int expireIdle(Predicate<String> inUse) {
    if (grid != null) {
      return 0; // the grid forgets idle tasks itself
    }
    Instant cutoff = clock.instant().minus(config.taskHistoryTtl());
    int freed = 0;
    for (Entry e : tasks.values()) {
      if (e.lastActivity.isBefore(cutoff) && !inUse.test(e.task.id()) && tasks.remove(e.task.id(), e)) {
        freed++;
      }
    }
    return freed;
  }

  public int size() {
    return tasks.size();
  }

  private static final class Entry {
    final Task task;
    final Set<String> children = ConcurrentHashMap.newKeySet();
    volatile Instant lastActivity;

    Entry(Task task, Instant created) {
      this.task = task;
      this.lastActivity = created;
    }
  }
}
