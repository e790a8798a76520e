package dev.statusmessenger.auth;

import dev.statusmessenger.config.ConfigKeys;
import dev.statusmessenger.config.MessengerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * This credential checker holds what opens what: session tokens open one session's reads, producer
 * keys let a worker post. Neither ever stands in for the other. With {@code auth=none} every check
 * passes, and the server says so loudly at start.
 */
@ApplicationScoped
public class Credentials {

  private static final Logger LOG = Logger.getLogger(Credentials.class.getName());

  /**
   * SHA-256, looked up once and cloned per use: {@code MessageDigest.getInstance} searches the
   * security providers at every call, and producer keys are checked on every producer request.
   */
  private static final MessageDigest SHA_256 = sha256();

  /** An HMAC-SHA256 key shorter than its output is weaker than the signature. */
  static final int MIN_SECRET_BYTES = 32;

  @Inject MessengerConfig config;

  private SessionTokens tokens;
  private List<byte[]> producerKeyDigests;

  /**
   * Made at start rather than at the first request, so that its warnings (auth off, no secret, a
   * short secret) are in the log when the server comes up, where an operator looks.
   */
  void atStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
    // observing instantiates the bean: init() has run
  }

  @PostConstruct
  void init() {
    byte[] secret;
    Optional<String> configured = config.tokenSecret();
    if (configured.isPresent()) {
      secret = configured.get().getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_SECRET_BYTES) {
        LOG.warning(
            () ->
                ConfigKeys.TOKEN_SECRET + " is " + secret.length + " bytes long: use at least "
                    + MIN_SECRET_BYTES + " random bytes (openssl rand -base64 32), or a guessed"
                    + " secret lets anybody mint session tokens.");
      }
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      if (config.authEnabled()) {
        LOG.warning(
            () ->
                ConfigKeys.TOKEN_SECRET
                    + " is not set: session tokens are signed with a random secret made at start."
                    + " Tokens will not survive a restart and will not work across a cluster; set"
                    + " STATUS_MESSENGER_TOKEN_SECRET to the same value on every node.");
      }
    }
    tokens = new SessionTokens(secret, config.tokenTtl(), Clock.systemUTC());
    producerKeyDigests = config.apiKeys().stream().map(Credentials::digest).toList();
    if (!config.authEnabled()) {
      LOG.warning(
          "**************************************************************************\n"
              + " status-messenger runs with STATUS_MESSENGER_AUTH=none: tokens and producer\n"
              + " keys are OFF. Anyone who can reach this server can read every session and\n"
              + " post to it. Use this only on a trusted network or for the demo.\n"
              + "**************************************************************************");
    } else if (producerKeyDigests.isEmpty()) {
      LOG.info(
          () ->
              "No producer API keys configured ("
                  + ConfigKeys.API_KEYS
                  + "): HTTP producers are refused; Java producers work as ever.");
    }
  }

  public boolean authEnabled() {
    return config.authEnabled();
  }

  public SessionTokens tokens() {
    return tokens;
  }

  /** Checks a session token for a session; always valid with {@code auth=none}. */
  public TokenCheck checkSessionToken(String token, String sessionId) {
    return config.authEnabled() ? tokens.check(token, sessionId) : TokenCheck.VALID;
  }

  /** Whether the key is one of the configured producer keys, compared in constant time. */
  public boolean isProducerKey(String key) {
    if (!config.authEnabled()) {
      return true;
    }
    if (key == null || key.isEmpty()) {
      return false;
    }
    byte[] candidate = digest(key);
    boolean match = false;
    for (byte[] known : producerKeyDigests) {
      match |= MessageDigest.isEqual(candidate, known);
    }
    return match;
  }

  private static byte[] digest(String key) {
    try {
      return ((MessageDigest) SHA_256.clone()).digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 cannot be cloned", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
