package dev.statusmessenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.stream.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SessionTokens tokens =
      new SessionTokens("secret-one".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), clock);

  @Test
  void aTokenOpensItsOwnSession() {
    String token = tokens.issue("session-a");
    assertEquals(TokenCheck.VALID, tokens.check(token, "session-a"));
    assertEquals(Optional.of("session-a"), tokens.sessionOf(token));
  }

  @Test
  void aTokenNeverOpensAnotherSession() {
    assertEquals(TokenCheck.WRONG_SESSION, tokens.check(tokens.issue("session-a"), "session-b"));
  }

  @Test
  void aTokenExpiresAfterItsLifetime() {
    String token = tokens.issue("session-a");
    clock.advance(Duration.ofMinutes(59));
    assertEquals(TokenCheck.VALID, tokens.check(token, "session-a"));
    clock.advance(Duration.ofMinutes(2));
    assertEquals(TokenCheck.EXPIRED, tokens.check(token, "session-a"));
    assertTrue(tokens.sessionOf(token).isEmpty());
  }

  @Test
  void aTokenWithAnotherSessionIdSpliced() {
    String token = tokens.issue("session-a");
    String forged = "session-b" + token.substring("session-a".length());
    assertEquals(TokenCheck.BAD_SIGNATURE, tokens.check(forged, "session-b"));
  }

  @Test
  void aTokenWithAnExtendedExpiryIsRefused() {
    String[] parts = tokens.issue("session-a").split("\\.");
    String extended = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2];
    assertEquals(TokenCheck.BAD_SIGNATURE, tokens.check(extended, "session-a"));
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRefused() {
    SessionTokens other =
        new SessionTokens("secret-two".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), clock);
    assertEquals(TokenCheck.BAD_SIGNATURE, tokens.check(other.issue("session-a"), "session-a"));
  }

  @Test
  void malformedAndMissingTokensAreRefused() {
    assertEquals(TokenCheck.MISSING, tokens.check(null, "s"));
    assertEquals(TokenCheck.MISSING, tokens.check("", "s"));
    for (String bad : new String[] {"abc", "a.b", "s.notanumber.sig", "s.1.!!!", "../x.1.abc", ".1.a"}) {
      assertEquals(TokenCheck.MALFORMED, tokens.check(bad, "s"), bad);
    }
  }

  @Test
  void issuingForAnInvalidSessionIdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> tokens.issue("../etc"));
  }

  @Test
  void mintedIdsAreValidAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.mint();
      assertTrue(Ids.isValid(id), id);
      assertEquals(32, id.length(), "192 random bits");
      assertTrue(seen.add(id));
    }
    assertNotEquals(Ids.mint(), Ids.mint());
  }

  @Test
  void idsOutsideTheAlphabetOrTooLongAreInvalid() {
    assertTrue(Ids.isValid("a".repeat(128)));
    for (String bad : new String[] {"", "a".repeat(129), "a b", "a/b", "..", "é", "a\u0000"}) {
      assertTrue(!Ids.isValid(bad), bad);
    }
  }
}
