package dev.statusmessenger.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.MessageTooLargeException;
import dev.statusmessenger.Publication;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.stream.TrafficStats;
import jakarta.json.Json;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bulk publish of the Java API, without a container. */
class PublisherTest {

  private final MessengerConfig config = MessengerConfig.of(Map.of("status-messenger.max-log-batch", "3"));
  private final StreamStore store = new StreamStore(config);
  private final Dispatcher dispatcher = new Dispatcher(1, 1000); // not started: messages wait in its lane
  private final Publisher publisher = publisher();

  private Publisher publisher() {
    Publisher p = new Publisher();
    p.config = config;
    p.store = store;
    p.dispatcher = dispatcher;
    p.stats = TrafficStats.NONE;
    return p;
  }

  @Test
  void bulkPublishGivesEachItemItsSeqInItsOwnSessionInOrder() {
    List<Long> seqs =
        publisher.publish(
            List.of(
                Publication.status("a", "one"),
                Publication.event("b", "progress", Map.of("pct", 40)),
                Publication.event("a", "raw", Json.createObjectBuilder().add("k", 1).build())));
    assertEquals(List.of(1L, 1L, 2L), seqs);
    assertEquals("one", store.find(StreamKeys.session("a")).orElseThrow().currentStatus().orElseThrow().text());
    assertEquals(3, dispatcher.queued());
  }

  @Test
  void aBadItemRefusesTheWholeBulkPublishAndNamesIt() {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> publisher.publish(List.of(Publication.status("a", "fine"), Publication.event("a", " ", null))));
    assertEquals("Item 2: An event needs an \"event_type\"", bad.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> publisher.publish(List.of(Publication.status("not valid!", "x"))));
    MessageTooLargeException large =
        assertThrows(
            MessageTooLargeException.class,
            () -> publisher.publish(List.of(Publication.status("a", "x".repeat(5000)))));
    assertTrue(large.getMessage().startsWith("Item 1: Status text is 5000 bytes"), large.getMessage());
    assertThrows(
        MessageTooLargeException.class,
        () -> publisher.publish(Collections.nCopies(4, Publication.status("a", "x"))));
    assertThrows(IllegalArgumentException.class, () -> publisher.publish(List.of()));
    assertTrue(store.find(StreamKeys.session("a")).isEmpty(), "nothing was appended");
    assertEquals(0, dispatcher.queued());
  }
}
