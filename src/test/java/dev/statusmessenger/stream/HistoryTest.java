package dev.statusmessenger.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static Message message(long seq, String text) {
    String frame = "{\"type\":\"status\",\"data\":\"" + text + "\",\"seq\":" + seq + "}";
    return new Message("s1", seq, Instant.ofEpochMilli(1_000 + seq), new MessageDraft.Status(text), frame, 42 + seq);
  }

  @Test
  void keepsWhatARingOfMessagesWouldThroughGrowthWrapAndCompaction() {
    // The same adds and removals against a plain deque of messages: sizes from empty to 300-byte
    // multi-byte frames (up to 1,000 kept at once, so the slots grow and wrap, and the bytes move
    // to the front and grow).
    Random random = new Random(7);
    History history = new History("s1");
    ArrayDeque<Message> model = new ArrayDeque<>();
    long seq = 0;
    long mostBytesHeld = 0;
    for (int step = 0; step < 20_000; step++) {
      int bound = step < 10_000 ? 1_000 : 40;
      if (random.nextInt(3) > 0 || model.isEmpty()) {
        Message m = message(++seq, "é€".repeat(random.nextInt(100)) + "x".repeat(random.nextInt(3)));
        history.add(m);
        model.addLast(m);
      }
      while (model.size() > bound || (!model.isEmpty() && random.nextInt(4) == 0)) {
        history.removeFirst();
        model.removeFirst();
      }
      assertEquals(model.size(), history.size());
      mostBytesHeld = Math.max(mostBytesHeld, history.bytesHeld());
      if (step % 97 == 0) {
        int i = 0;
        for (Message expected : model) {
          Message kept = history.get(i);
          assertEquals(expected.seq(), history.seq(i));
          assertEquals(expected.seq(), kept.seq());
          assertEquals(expected.frame(), kept.frame());
          assertEquals(expected.type(), kept.type());
          assertEquals(expected.ts(), kept.ts());
          assertEquals(expected.acceptedNanos(), kept.acceptedNanos());
          assertEquals(((MessageDraft.Status) expected.content()).text(), ((MessageDraft.Status) kept.content()).text());
          i++;
        }
      }
    }
    assertTrue(
        history.bytesHeld() <= mostBytesHeld / 4,
        "the bytes held shrink once fewer are kept: " + history.bytesHeld() + " of at most " + mostBytesHeld);
  }

  @Test
  void aLongHistoryHoldsAboutItsOwnBytesInChunksOfAtMost64Kilobytes() {
    History history = new History("s1");
    String kilobyte = "x".repeat(1000);
    long kept = 0;
    for (int seq = 1; seq <= 30_000; seq++) {
      Message m = message(seq, kilobyte);
      history.add(m);
      kept += m.frame().length();
      if (history.size() > 10_000) {
        kept -= history.get(0).frame().length();
        history.removeFirst();
      }
    }
    // one array for all of it doubled as it grew: up to twice what it kept, three times while copying
    assertTrue(history.bytesHeld() >= kept, history.bytesHeld() + " held for " + kept);
    assertTrue(history.bytesHeld() <= kept + 2 * 64 * 1024, history.bytesHeld() + " held for " + kept);
    assertEquals(20_001, history.seq(0));
    long made = history.chunksMade();
    for (int seq = 30_001; seq <= 40_000; seq++) { // steady: the chunks the oldest leave are refilled
      history.add(message(seq, kilobyte));
      history.removeFirst();
    }
    assertEquals(made, history.chunksMade(), "a steady history allocates no chunks");
    assertEquals(kilobyte, ((MessageDraft.Status) history.get(9_999).content()).text());

    Message large = message(40_001, "é".repeat(100_000)); // a frame above the chunk size: a chunk of its own
    history.add(large);
    history.add(message(40_002, "after"));
    assertEquals(large.frame(), history.get(10_000).frame());
    assertEquals("after", ((MessageDraft.Status) history.get(10_001).content()).text());
    while (!history.isEmpty()) {
      history.removeFirst();
    }
    assertEquals(0, history.bytesHeld(), "an emptied history holds no bytes");
  }

  @Test
  void aStreamWithNoMessageHoldsNoArraysOfItsOwn() {
    History history = new History("idle");
    assertEquals(0, history.bytesHeld());
    history.add(message(1, "one"));
    history.removeFirst();
    assertTrue(history.isEmpty());
    history.add(message(2, "two"));
    assertEquals(2, history.seq(0));
    assertEquals("two", ((MessageDraft.Status) history.get(0).content()).text());
  }
}
