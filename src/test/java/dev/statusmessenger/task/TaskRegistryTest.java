package dev.statusmessenger.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.UnknownTaskException;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TaskRegistry tasks =
      new TaskRegistry(MessengerConfig.of(Map.of("status-messenger.task-history-ttl", "1h")), clock);

  @Test
  void tasksGetUnguessableIdsAndSubtasksInheritTheSession() {
    Task parent = tasks.create("deploy", null, "session-1");
    Task child = tasks.create("build", parent.id(), null);
    assertTrue(Ids.isValid(parent.id()));
    assertEquals(32, parent.id().length());
    assertEquals("session-1", child.session());
    assertEquals(parent.id(), child.parent());
    assertEquals(List.of(child), tasks.children(parent.id()));
  }

  @Test
  void aLineBelongsToItsTaskAndEveryAncestor() {
    Task root = tasks.create("root", null, null);
    Task mid = tasks.create("mid", root.id(), null);
    Task leaf = tasks.create("leaf", mid.id(), null);
    assertEquals(List.of(leaf.id(), mid.id(), root.id()), tasks.lineage(leaf.id()));
    assertEquals(List.of(root.id()), tasks.lineage(root.id()));
    assertTrue(tasks.lineage("unknown").isEmpty());
  }

  @Test
  void anUnknownParentOrBadInputIsRefused() {
    assertThrows(UnknownTaskException.class, () -> tasks.create("x", "nope", null));
    assertThrows(UnknownTaskException.class, () -> tasks.create("x", "../etc", null));
    assertThrows(IllegalArgumentException.class, () -> tasks.create("x".repeat(1025), null, null));
    assertThrows(IllegalArgumentException.class, () -> tasks.create("x", null, "bad session"));
    assertNull(tasks.create(null, null, null).parent());
  }

  @Test
  void idleTasksAreForgottenUnlessWatchedOrActive() {
    Task idle = tasks.create("idle", null, null);
    Task watched = tasks.create("watched", null, null);
    Task active = tasks.create("active", null, null);
    clock.advance(Duration.ofMinutes(50));
    tasks.lineage(active.id()); // a line was logged
    clock.advance(Duration.ofMinutes(20));
    assertEquals(1, tasks.expireIdle(id -> id.equals(watched.id())));
    assertTrue(tasks.find(idle.id()).isEmpty());
    assertTrue(tasks.find(watched.id()).isPresent());
    assertTrue(tasks.find(active.id()).isPresent());
  }
}
