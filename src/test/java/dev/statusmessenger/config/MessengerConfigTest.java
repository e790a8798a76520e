package dev.statusmessenger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessengerConfigTest {

  @Test
  void defaultsServeOneNodeOutOfTheBox() {
    MessengerConfig config = MessengerConfig.of(Map.of());
    assertTrue(config.authEnabled());
    assertEquals(100, config.historySize());
    assertEquals(Duration.ofHours(1), config.historyTtl());
    assertEquals(Duration.ofSeconds(5), config.authTimeout());
    assertEquals(16, config.maxConnectionsPerSession());
    assertEquals(64 * 1024, config.maxInboundMessage());
    assertEquals(4096, config.maxStatusBytes());
    assertTrue(config.apiKeys().isEmpty());
    assertTrue(config.tokenSecret().isEmpty());
    assertEquals(Duration.ofHours(24), config.tokenTtl());
    assertEquals(10_000, config.taskHistorySize());
    assertEquals(Duration.ofHours(1), config.taskHistoryTtl());
    assertEquals(16 * 1024, config.maxLogMessageBytes());
    assertEquals(8 * 1024, config.maxMetadataBytes());
    assertEquals(1000, config.maxLogBatch());
    assertEquals(20, config.inboundRate());
    assertEquals(60, config.sessionCreateRate());
    assertEquals(Duration.ofSeconds(25), config.pingInterval());
    assertTrue(config.allowedOrigins().isEmpty(), "same origin only");
  }

  @Test
  void apiKeysAreACommaSeparatedList() {
    MessengerConfig config =
        MessengerConfig.of(Map.of(ConfigKeys.API_KEYS, " one, two ,,three", ConfigKeys.AUTH, "NONE"));
    assertEquals(List.of("one", "two", "three"), config.apiKeys());
    assertFalse(config.authEnabled());
  }

  @Test
  void durationsTakeSecondsUnitsAndIso() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
  }

  @Test
  void badValuesNameTheirKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessengerConfig.of(Map.of(ConfigKeys.HISTORY_TTL, "soon")));
    assertTrue(e.getMessage().contains(ConfigKeys.HISTORY_TTL), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessengerConfig.of(Map.of(ConfigKeys.HISTORY_SIZE, "-3")));
    assertTrue(e.getMessage().contains(ConfigKeys.HISTORY_SIZE), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> MessengerConfig.of(Map.of(ConfigKeys.AUTH, "maybe")));
  }
}
