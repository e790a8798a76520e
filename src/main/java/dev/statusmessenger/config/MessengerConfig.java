package dev.statusmessenger.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * This configuration holds every setting of status-messenger, read once at start through
 * MicroProfile Config, with the defaults that serve one node out of the box.
 */
@ApplicationScoped
public class MessengerConfig {

  private boolean authEnabled;
  private List<String> apiKeys;
  private Optional<String> tokenSecret;
  private Duration tokenTtl;
  private List<String> allowedOrigins;
  private int historySize;
  private Duration historyTtl;
  private int taskHistorySize;
  private Duration taskHistoryTtl;
  private int maxLogMessageBytes;
  private int maxMetadataBytes;
  private int maxLogBatch;
  private Duration authTimeout;
  private Duration pingInterval;
  private Duration shutdownFlushTimeout;
  private int maxConnectionsPerSession;
  private int outboundQueueSize;
  private int maxInboundMessage;
  private int maxStatusBytes;
  private int maxEventBytes;
  private int dispatchQueueLimit;
  private int inboundRate;
  private int sessionCreateRate;
  private boolean demoEnabled;
  private String cluster;
  private PubSub pubSub;

  /** Reads the settings from MicroProfile Config. */
  public MessengerConfig() {
    this(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
  }

  /** Reads the settings from a map, for tests that run without a container. */
  public static MessengerConfig of(Map<String, String> values) {
    return new MessengerConfig(key -> Optional.ofNullable(values.get(key)));
  }

  private MessengerConfig(Function<String, Optional<String>> source) {
    Reader in = new Reader(source);
    String auth = in.string(ConfigKeys.AUTH, "token").trim().toLowerCase();
    if (!auth.equals("token") && !auth.equals("none")) {
      throw new IllegalArgumentException(ConfigKeys.AUTH + " must be 'token' or 'none', not " + auth);
    }
    authEnabled = auth.equals("token");
    apiKeys = in.list(ConfigKeys.API_KEYS);
    tokenSecret = source.apply(ConfigKeys.TOKEN_SECRET).filter(s -> !s.isBlank());
    tokenTtl = in.duration(ConfigKeys.TOKEN_TTL, "24h");
    allowedOrigins = in.list(ConfigKeys.ALLOWED_ORIGINS);
    historySize = in.positive(ConfigKeys.HISTORY_SIZE, 100);
    historyTtl = in.duration(ConfigKeys.HISTORY_TTL, "1h");
    taskHistorySize = in.positive(ConfigKeys.TASK_HISTORY_SIZE, 10_000);
    taskHistoryTtl = in.duration(ConfigKeys.TASK_HISTORY_TTL, "1h");
    maxLogMessageBytes = in.positive(ConfigKeys.MAX_LOG_MESSAGE_BYTES, 16 * 1024);
    maxMetadataBytes = in.positive(ConfigKeys.MAX_METADATA_BYTES, 8 * 1024);
    maxLogBatch = in.positive(ConfigKeys.MAX_LOG_BATCH, 1000);
    authTimeout = in.duration(ConfigKeys.AUTH_TIMEOUT, "5s");
    pingInterval = in.duration(ConfigKeys.PING_INTERVAL, "25s");
    shutdownFlushTimeout = in.duration(ConfigKeys.SHUTDOWN_FLUSH_TIMEOUT, "3s");
    maxConnectionsPerSession = in.positive(ConfigKeys.MAX_CONNECTIONS_PER_SESSION, 16);
    outboundQueueSize = in.positive(ConfigKeys.OUTBOUND_QUEUE_SIZE, 1024);
    maxInboundMessage = in.positive(ConfigKeys.MAX_INBOUND_MESSAGE, 64 * 1024);
    maxStatusBytes = in.positive(ConfigKeys.MAX_STATUS_BYTES, 4 * 1024);
    maxEventBytes = in.positive(ConfigKeys.MAX_EVENT_BYTES, 16 * 1024);
    dispatchQueueLimit = in.positive(ConfigKeys.DISPATCH_QUEUE_LIMIT, 100_000);
    inboundRate = in.positive(ConfigKeys.INBOUND_RATE, 20);
    sessionCreateRate = in.positive(ConfigKeys.SESSION_CREATE_RATE, 60);
    demoEnabled = Boolean.parseBoolean(in.string(ConfigKeys.DEMO_ENABLED, "true").trim());
    cluster = in.string(ConfigKeys.CLUSTER, "auto").trim().toLowerCase();
    if (!List.of("auto", "on", "off").contains(cluster)) {
      throw new IllegalArgumentException(
          ConfigKeys.CLUSTER + " must be 'auto', 'on' or 'off', not " + cluster);
    }
    pubSub = PubSub.read(in);
  }

  public boolean authEnabled() {
    return authEnabled;
  }

  public List<String> apiKeys() {
    return apiKeys;
  }

  public Optional<String> tokenSecret() {
    return tokenSecret;
  }

  public Duration tokenTtl() {
    return tokenTtl;
  }

  /** Allowed origins; empty means same origin only. */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public int historySize() {
    return historySize;
  }

  public Duration historyTtl() {
    return historyTtl;
  }

  public int taskHistorySize() {
    return taskHistorySize;
  }

  public Duration taskHistoryTtl() {
    return taskHistoryTtl;
  }

  public int maxLogMessageBytes() {
    return maxLogMessageBytes;
  }

  public int maxMetadataBytes() {
    return maxMetadataBytes;
  }

  public int maxLogBatch() {
    return maxLogBatch;
  }

  public Duration authTimeout() {
    return authTimeout;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration shutdownFlushTimeout() {
    return shutdownFlushTimeout;
  }

  public int maxConnectionsPerSession() {
    return maxConnectionsPerSession;
  }

  public int outboundQueueSize() {
    return outboundQueueSize;
  }

  public int maxInboundMessage() {
    return maxInboundMessage;
  }

  public int maxStatusBytes() {
    return maxStatusBytes;
  }

  public int maxEventBytes() {
    return maxEventBytes;
  }

  public int dispatchQueueLimit() {
    return dispatchQueueLimit;
  }

  /** Client messages per second per socket (and the burst allowed). */
  public int inboundRate() {
    return inboundRate;
  }

  /** Sessions one client address may create per minute. */
  public int sessionCreateRate() {
    return sessionCreateRate;
  }

  public boolean demoEnabled() {
    return demoEnabled;
  }

  /** {@code auto}, {@code on} or {@code off}: see {@link ConfigKeys#CLUSTER}. */
  public String cluster() {
    return cluster;
  }

  /** The export of events to Google Cloud Pub/Sub (see docs/pubsub.md). */
  public PubSub pubSub() {
    return pubSub;
  }

  /**
   * Settings of the Pub/Sub export.
   *
   * @param project the Google Cloud project ({@code GOOGLE_CLOUD_PROJECT}), where set
   * @param topicId the topic within the project, where set
   * @param emulatorHost {@code host:port} of an emulator ({@code PUBSUB_EMULATOR_HOST}), where set
   */
  public record PubSub(
      boolean enabled,
      Optional<String> project,
      Optional<String> topicId,
      Optional<String> emulatorHost,
      int queueSize,
      int maxAttempts,
      Duration publishTimeout,
      Duration retryBackoff) {

    static PubSub read(Reader in) {
      return new PubSub(
          Boolean.parseBoolean(in.string(ConfigKeys.PUBSUB_ENABLED, "false").trim()),
          in.optional(ConfigKeys.GOOGLE_CLOUD_PROJECT),
          in.optional(ConfigKeys.PUBSUB_TOPIC_ID),
          in.optional(ConfigKeys.PUBSUB_EMULATOR_HOST),
          in.positive(ConfigKeys.PUBSUB_QUEUE_SIZE, 10_000),
          in.positive(ConfigKeys.PUBSUB_MAX_ATTEMPTS, 5),
          in.duration(ConfigKeys.PUBSUB_PUBLISH_TIMEOUT, "10s"),
          in.duration(ConfigKeys.PUBSUB_RETRY_BACKOFF, "500ms"));
    }
  }

  /** Reads typed values and names the key in every error, so a bad setting is easy to find. */
  private record Reader(Function<String, Optional<String>> source) {

    String string(String key, String fallback) {
      return source.apply(key).orElse(fallback);
    }

    Optional<String> optional(String key) {
      return source.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    List<String> list(String key) {
      return source
          .apply(key)
          .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
          .orElse(List.of());
    }

    int positive(String key, int fallback) {
      String value = string(key, Integer.toString(fallback)).trim();
      try {
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
          throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, not " + value, e);
      }
    }

    Duration duration(String key, String fallback) {
      try {
        Duration d = Durations.parse(string(key, fallback));
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("must be positive");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }
  }
}
