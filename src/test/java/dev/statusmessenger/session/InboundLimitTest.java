package dev.statusmessenger.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.config.ConfigKeys;
import dev.statusmessenger.config.MessengerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundLimitTest {

  private final FakeSocket socket = new FakeSocket();
  private final Connection connection =
      new Connection(socket.session, "s1", "session", "s1", 64, Runnable::run);
  private final InboundLimit limit = new InboundLimit();

  InboundLimitTest() {
    socket.completeInline = true;
    limit.config =
        MessengerConfig.of(Map.of(ConfigKeys.INBOUND_RATE, "5", ConfigKeys.MAX_INBOUND_MESSAGE, "1000"));
  }

  @Test
  void aBurstWithinTheRatePassesThenOneRateLimitedErrorThenAFloodCloses1008() {
    for (int i = 0; i < 5; i++) {
      assertTrue(limit.admit(socket.session, connection), "message " + i);
    }
    assertFalse(limit.admit(socket.session, connection));
    assertEquals(1, socket.sent().size());
    assertTrue(socket.sent().get(0).contains("\"code\":\"rate_limited\""), socket.sent().get(0));
    for (int i = 0; i < 8; i++) {
      assertFalse(limit.admit(socket.session, connection));
    }
    assertEquals(1, socket.sent().size(), "one error frame per run, not one per refused message");
    assertNull(socket.closedWith);
    assertFalse(limit.admit(socket.session, connection), "the tenth refusal in a row");
    assertEquals(1008, socket.closedWith.getCloseCode().getCode());
  }

  @Test
  void textOverTheInboundLimitClosesWith1009CountingUtf8Bytes() {
    assertTrue(limit.admitText(socket.session, connection, "x".repeat(1000)));
    assertTrue(limit.admitText(socket.session, connection, "é".repeat(500)), "1,000 bytes");
    assertNull(socket.closedWith);
    assertFalse(limit.admitText(socket.session, connection, "é".repeat(501)), "1,002 bytes");
    assertEquals(1009, socket.closedWith.getCloseCode().getCode());
  }

  @Test
  void forgettingASocketDropsItsState() {
    assertTrue(limit.admit(socket.session, connection));
    assertFalse(socket.userProperties.isEmpty());
    limit.forget(socket.session);
    assertTrue(socket.userProperties.isEmpty(), "nothing of the closed socket is kept");
  }
}
