package dev.statusmessenger.config;

/**
 * Every configuration key, in one place. Each is read through MicroProfile Config, so it may be set
 * as a system property, in {@code microprofile-config.properties}, or as the environment variable
 * MicroProfile derives from it: {@code status-messenger.history-ttl} is also
 * {@code STATUS_MESSENGER_HISTORY_TTL}. Durations take {@code 90} (seconds), {@code 500ms},
 * {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT1H}).
 */
public final class ConfigKeys {

  /** {@code token} (default) or {@code none}: tokens and producer keys off, for trusted networks. */
  public static final String AUTH = "status-messenger.auth";
  /** Comma-separated producer API keys; several may be valid at once, for rotation. */
  public static final String API_KEYS = "status-messenger.api-keys";
  /** Secret that signs session tokens; random per start when unset (set it for a cluster). */
  public static final String TOKEN_SECRET = "status-messenger.token-secret";
  /** Lifetime of a session token (default 24h). */
  public static final String TOKEN_TTL = "status-messenger.token-ttl";
  /** Comma-separated origins allowed to open sockets, by exact match (default: same origin). */
  public static final String ALLOWED_ORIGINS = "status-messenger.allowed-origins";
  /** Messages a session keeps for resume and history (default 100). */
  public static final String HISTORY_SIZE = "status-messenger.history-size";
  /** Age after which history expires, and idle sessions with it (default 1h). */
  public static final String HISTORY_TTL = "status-messenger.history-ttl";
  /** Log lines a task keeps for resume and history (default 10000). */
  public static final String TASK_HISTORY_SIZE = "status-messenger.task-history-size";
  /** Age after which a task's log lines expire, and the idle task with them (default 1h). */
  public static final String TASK_HISTORY_TTL = "status-messenger.task-history-ttl";
  /** Longest log message in UTF-8 bytes (default 16384). */
  public static final String MAX_LOG_MESSAGE_BYTES = "status-messenger.max-log-message-bytes";
  /** Largest log line {@code metadata} in UTF-8 bytes of JSON (default 8192). */
  public static final String MAX_METADATA_BYTES = "status-messenger.max-metadata-bytes";
  /** Most log lines in one POST (default 1000). */
  public static final String MAX_LOG_BATCH = "status-messenger.max-log-batch";
  /** Time a new socket has to authenticate (default 5s). */
  public static final String AUTH_TIMEOUT = "status-messenger.auth-timeout";
  /** Interval of WebSocket pings; a socket silent for two intervals is closed (default 25s). */
  public static final String PING_INTERVAL = "status-messenger.ping-interval";
  /** How long shutdown waits for sockets to receive what was accepted before 1001 (default 3s). */
  public static final String SHUTDOWN_FLUSH_TIMEOUT = "status-messenger.shutdown-flush-timeout";
  /** Connections one session may have open at once (default 16). */
  public static final String MAX_CONNECTIONS_PER_SESSION =
      "status-messenger.max-connections-per-session";
  /** Frames a connection may have waiting before it is closed with 1013 (default 1024). */
  public static final String OUTBOUND_QUEUE_SIZE = "status-messenger.outbound-queue-size";
  /** Largest inbound WebSocket message in bytes (default 65536; 1009 above). */
  public static final String MAX_INBOUND_MESSAGE = "status-messenger.max-inbound-message";
  /** Longest status text in UTF-8 bytes (default 4096). */
  public static final String MAX_STATUS_BYTES = "status-messenger.max-status-bytes";
  /** Largest event {@code data} in UTF-8 bytes of JSON (default 16384). */
  public static final String MAX_EVENT_BYTES = "status-messenger.max-event-bytes";
  /** Client messages one socket may send per second, with a burst of as many (default 20). */
  public static final String INBOUND_RATE = "status-messenger.inbound-rate";
  /** {@code POST /sessions} one client address may make per minute (default 60; 429 above). */
  public static final String SESSION_CREATE_RATE = "status-messenger.session-create-rate";
  /** Messages waiting for the dispatcher before producers get 503 (default 100000). */
  public static final String DISPATCH_QUEUE_LIMIT = "status-messenger.dispatch-queue-limit";
  /** Whether the demo agent endpoint {@code POST /api/v1/demo/agent} is served (default true). */
  public static final String DEMO_ENABLED = "status-messenger.demo-enabled";

  /** Whether events also go to a Google Cloud Pub/Sub topic (default false; docs/pubsub.md). */
  public static final String PUBSUB_ENABLED = "status-messenger.pubsub-enabled";
  /** The topic's id within {@link #GOOGLE_CLOUD_PROJECT}, such as {@code agent-events}. */
  public static final String PUBSUB_TOPIC_ID = "status-messenger.pubsub-topic-id";
  /** The Google Cloud project of the topic, under the name Google's libraries read. */
  public static final String GOOGLE_CLOUD_PROJECT = "GOOGLE_CLOUD_PROJECT";
  /** {@code host:port} of a Pub/Sub emulator: plaintext, no credentials (as Google's tools read it). */
  public static final String PUBSUB_EMULATOR_HOST = "PUBSUB_EMULATOR_HOST";
  /** Events waiting for export before new ones are dropped and counted (default 10000). */
  public static final String PUBSUB_QUEUE_SIZE = "status-messenger.pubsub-queue-size";
  /** Attempts to publish one event before it is dropped and counted (default 5). */
  public static final String PUBSUB_MAX_ATTEMPTS = "status-messenger.pubsub-max-attempts";
  /** Deadline of one publish attempt (default 10s). */
  public static final String PUBSUB_PUBLISH_TIMEOUT = "status-messenger.pubsub-publish-timeout";
  /** Wait before the first retry, doubled for each further one up to 30s (default 500ms). */
  public static final String PUBSUB_RETRY_BACKOFF = "status-messenger.pubsub-retry-backoff";

  /**
   * {@code auto} (default), {@code on} or {@code off}: whether streams, tasks and idempotency keys
   * live in Payara's data grid so several nodes act as one. {@code auto} uses the grid where Payara
   * clusters (started without {@code --nocluster}); {@code on} uses it even alone and refuses to
   * start without it.
   */
  public static final String CLUSTER = "status-messenger.cluster";

  /**
   * Whether the WebSocket container's idle-timeout scheduling runs on a plain executor rather than
   * the managed one, which costs most of the CPU of each frame sent on Payara (default true; see
   * docs/performance.md).
   */
  public static final String TYRUS_EXECUTOR_FIX = "status-messenger.tyrus-executor-fix";

  /**
   * Whether each WebSocket handshake's response gets Grizzly's smallest write buffer (512 bytes)
   * instead of 8 KB, which every frame sent would otherwise allocate anew (default true; see
   * docs/performance.md).
   */
  public static final String SOCKET_WRITE_BUFFER_FIX = "status-messenger.socket-write-buffer-fix";

  /**
   * Whether a message's frame is encoded to bytes once and sent as those bytes to every socket of
   * its session, through Tyrus's raw-frame send, instead of each socket encoding the same text
   * (default true; see docs/performance.md).
   */
  public static final String RAW_FRAMES = "status-messenger.raw-frames";

  private ConfigKeys() {}
}
