package dev.statusmessenger.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks session tokens: {@code <session>.<expiry>.<signature>}, where the signature is
 * an HMAC-SHA256 over the session id and the expiry (epoch seconds). A token opens its own session
 * only, until it expires; signatures are compared in constant time.
 */
public final class SessionTokens {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final Mac prototype;
  private final Duration ttl;
  private final Clock clock;

  public SessionTokens(byte[] secret, Duration ttl, Clock clock) {
    try {
      this.prototype = Mac.getInstance(ALGORITHM);
      prototype.init(new SecretKeySpec(secret, ALGORITHM));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A token for the session, valid for the configured lifetime. */
  public String issue(String sessionId) {
    if (!Ids.isValid(sessionId)) {
      throw new IllegalArgumentException("Not a valid session id: it must match " + Ids.VALID);
    }
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    return sessionId + "." + expiry + "." + ENCODER.encodeToString(sign(sessionId, expiry));
  }

  /** When a token made now expires. */
  public Instant expiryOfNewToken() {
    return Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
  }

  /** Checks that the token is a valid, unexpired token of exactly this session. */
  public TokenCheck check(String token, String sessionId) {
    Parsed parsed = parse(token);
    if (parsed.check != TokenCheck.VALID) {
      return parsed.check;
    }
    return parsed.sessionId.equals(sessionId) ? TokenCheck.VALID : TokenCheck.WRONG_SESSION;
  }

  /** The session a valid, unexpired token opens. */
  public Optional<String> sessionOf(String token) {
    Parsed parsed = parse(token);
    return parsed.check == TokenCheck.VALID ? Optional.of(parsed.sessionId) : Optional.empty();
  }

  /** When a token expires, where it is well formed (its signature is not checked here). */
  public Optional<Instant> expiryOf(String token) {
    Parsed parsed = parse(token);
    return parsed.expiry == null ? Optional.empty() : Optional.of(parsed.expiry);
  }

  private Parsed parse(String token) {
    if (token == null || token.isEmpty()) {
      return new Parsed(TokenCheck.MISSING, null, null);
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.length() > 512) {
      return new Parsed(TokenCheck.MALFORMED, null, null);
    }
    String sessionId = token.substring(0, first);
    long expiry;
    byte[] signature;
    try {
      expiry = Long.parseLong(token.substring(first + 1, second));
      signature = DECODER.decode(token.substring(second + 1));
    } catch (IllegalArgumentException e) {
      return new Parsed(TokenCheck.MALFORMED, null, null);
    }
    if (!Ids.isValid(sessionId)) {
      return new Parsed(TokenCheck.MALFORMED, null, null);
    }
    if (!MessageDigest.isEqual(signature, sign(sessionId, expiry))) {
      return new Parsed(TokenCheck.BAD_SIGNATURE, null, null);
    }
    Instant expiresAt = Instant.ofEpochSecond(expiry);
    if (!clock.instant().isBefore(expiresAt)) {
      return new Parsed(TokenCheck.EXPIRED, sessionId, expiresAt);
    }
    return new Parsed(TokenCheck.VALID, sessionId, expiresAt);
  }

  private byte[] sign(String sessionId, long expiry) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
    return mac.doFinal(("v1:" + sessionId + ":" + expiry).getBytes(StandardCharsets.UTF_8));
  }

  private record Parsed(TokenCheck check, String sessionId, Instant expiry) {}
}
