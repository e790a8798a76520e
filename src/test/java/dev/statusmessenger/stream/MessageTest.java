package dev.statusmessenger.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.statusmessenger.wire.WebSocketFrame;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageTest {

  private final Message live =
      new Message("s1", 7, Instant.parse("2026-12-03T08:00:00Z"), new MessageDraft.Status("working"),
          "{\"type\":\"status\",\"data\":\"working\",\"seq\":7,\"ts\":\"2026-12-03T08:00:00Z\"}", 0);

  @Test
  void aLiveMessageIsEncodedOnceForEverySocketThatSendsIt() {
    byte[] first = live.wireFrame();
    assertSame(first, live.wireFrame());
    assertArrayEquals(WebSocketFrame.text(live.frame()), first);
  }

  @Test
  void aHistoryCopyEncodesAtEachSendAndKeepsNoSecondCopy() {
    Message kept = Message.kept(live.stream(), live.seq(), live.tsMillis(), live.type(), live.frame(), live.acceptedNanos());
    byte[] first = kept.wireFrame();
    assertArrayEquals(live.wireFrame(), first);
    assertNotSame(first, kept.wireFrame());
  }
}
