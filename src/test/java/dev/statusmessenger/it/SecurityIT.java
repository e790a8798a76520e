package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statusmessenger.auth.SessionTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input against a real Payara Micro (container {@code payara-micro-security}: origins
 * {@code https://app.example.com} and {@code http://localhost:9} allowed, five sessions a minute
 * per address, five client messages a second per socket, the server log in a file). Each test checks the answer to what it throws and that
 * the server still serves a normal session afterwards; the last one reads the server log for any
 * token, key or message content the run used.
 *
 * <p>Sessions here are named by the test and their tokens minted with the configured secret, as a
 * host application does with {@code issueToken}, so that only the rate-limit test spends the
 * small {@code POST /sessions} budget.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

  static final String KEY = "it-producer-key";
  static final String ROTATED_KEY = "it-rotated-key";
  static final String ALLOWED_ORIGIN = "https://app.example.com";
  /** The security container's inbound limit, messages a second (arquillian.xml). */
  static final int INBOUND_RATE = 5;
  private static final byte[] SECRET = "it-secret-of-thirty-two-bytes-xx".getBytes(StandardCharsets.UTF_8);
  private static final SessionTokens TOKENS =
      new SessionTokens(SECRET, Duration.ofHours(1), Clock.systemUTC());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Everything secret or private the run sent; none of it may appear in the server log. */
  private static final Set<String> MUST_NOT_BE_LOGGED = ConcurrentHashMap.newKeySet();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.productWithProbes();
  }

  @ArquillianResource URL base;

  @BeforeEach
  void overLoopback() {
    base = Deployments.loopback(base);
  }

  private static volatile boolean fineLogging;

  /** The product logs at FINE for this class, so the log check covers refusals too. */
  @BeforeEach
  void logAtFine() {
    if (!fineLogging) {
      assertEquals(204, http().post("api/v1/probe/logging/fine", "", null).statusCode());
      fineLogging = true;
    }
  }

  private Http http() {
    return new Http(base);
  }

  // --- origin ---

  @Test
  void handshakesFromOriginsOutsideTheAllowlistAreRefusedWith403OnEverySocket() throws Exception {
    Sess s = newSession();
    String task = http().createTask("origin check", null, s.id, KEY);
    for (String path : List.of("ws/" + s.id, "ws/tasks/" + task, "ws/ops/live")) {
      assertEquals(101, handshake(path, ALLOWED_ORIGIN, null).status, path);
      assertEquals(101, handshake(path, "HTTPS://APP.EXAMPLE.COM:443", null).status, path);
      assertEquals(101, handshake(path, "http://localhost:9", null).status, path);
      for (String refused :
          List.of(
              "https://app.example.com.evil.com", "http://localhost:9.evil.com",
              "http://localhost:90", "https://evil-app.example.com", "http://app.example.com",
              "https://evil.com", "null", "https://app.example.com/", "file://",
              base.getProtocol() + "://" + base.getHost() + ":" + base.getPort())) {
        assertEquals(403, handshake(path, refused, null).status, path + " from " + refused);
      }
    }
    try (TestSocket socket = TestSocket.open(TestSocket.wsUri(base, "ws/" + s.id), ALLOWED_ORIGIN)) {
      socket.auth(s.token, null, false);
      assertEquals("ready", socket.next().getString("type"));
    }
    try {
      TestSocket.open(TestSocket.wsUri(base, "ws/" + s.id), "https://app.example.com.evil.com").close();
      fail("a lookalike origin opened a socket");
    } catch (CompletionException refused) {
      assertTrue(
          refused.getCause() instanceof java.net.http.WebSocketHandshakeException h
              && h.getResponse().statusCode() == 403,
          String.valueOf(refused.getCause()));
    }
    assertStillServes();
  }

  @Test
  void permessageDeflateIsNotNegotiated() throws Exception {
    Handshake h = handshake("ws/" + newSession().id, null, "permessage-deflate; client_max_window_bits");
    assertEquals(101, h.status);
    assertFalse(h.head.toLowerCase().contains("sec-websocket-extensions"), h.head);
  }

  // --- credentials ---

  @Test
  void eachCredentialOpensOnlyWhatItIsFor() {
    Sess a = newSession();
    Sess b = newSession();
    SessionTokens otherSecret =
        new SessionTokens("another-secret-of-32-bytes-xxxxx".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), Clock.systemUTC());
    String forged = b.id + a.token.substring(a.id.length()); // a's expiry and signature, b's id
    for (String wrong : List.of(a.token, KEY, ROTATED_KEY, forged, otherSecret.issue(b.id), "", "x".repeat(600))) {
      assertEquals(1008, refusedSocket("ws/" + b.id, wrong), "opening b with " + cut(wrong));
      HttpResponse<String> read = http().get("api/v1/sessions/" + b.id + "/status", wrong.isEmpty() ? null : wrong);
      assertTrue(read.statusCode() == 401 || read.statusCode() == 403, read.statusCode() + " " + read.body());
    }
    // a task of session a: a's token and producer keys watch it; b's token does not
    String task = http().createTask("private work", null, a.id, KEY);
    assertEquals(1008, refusedSocket("ws/tasks/" + task, b.token));
    for (String viewer : List.of(a.token, KEY, ROTATED_KEY)) {
      try (TestSocket socket = TestSocket.openTask(base, task)) {
        socket.auth(viewer, null, false);
        assertEquals("ready", socket.next().getString("type"));
      }
    }
    // a session token never acts as a producer key; both rotated keys do
    String path = "api/v1/sessions/" + b.id + "/status";
    assertEquals(403, http().post(path, "{\"message\":\"x\"}", b.token).statusCode());
    assertEquals(403, http().post("api/v1/tasks", "{\"description\":\"x\"}", a.token).statusCode());
    assertEquals(202, http().post(path, "{\"message\":\"by the first key\"}", KEY).statusCode());
    assertEquals(202, http().post(path, "{\"message\":\"by the rotated key\"}", ROTATED_KEY).statusCode());
    assertEquals("by the rotated key", Http.json(http().get(path, b.token)).getString("data"));
  }

  @Test
  void aReadySocketIsClosedWith1008WhenItsTokenExpires() {
    String session = newId();
    SessionTokens shortLived = new SessionTokens(SECRET, Duration.ofSeconds(3), Clock.systemUTC());
    String token = shortLived.issue(session);
    MUST_NOT_BE_LOGGED.add(token);
    try (TestSocket socket = TestSocket.ready(base, session, token)) {
      // nothing is sent: the server closes the socket at expiry by itself
      int code = awaitClose(socket, Duration.ofSeconds(15));
      assertEquals(1008, code);
    }
    SessionTokens expired = new SessionTokens(SECRET, Duration.ofSeconds(1), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-5)));
    assertEquals(1008, refusedSocket("ws/" + session, expired.issue(session)));
    assertStillServes();
  }

  // --- limits ---

  @Test
  void aClientOverItsMessageRateGetsRateLimitedThenAFloodCloses1008() {
    Sess s = newSession();
    try (TestSocket socket = TestSocket.ready(base, s.id, s.token)) {
      // A burst of the budget is handled; past it, one `rate_limited` error, and a client that then
      // slows down stays connected. (The security container allows INBOUND_RATE messages a second
      // and closes after twice as many refused in a row.)
      for (int i = 0; i < INBOUND_RATE + INBOUND_RATE / 2; i++) {
        socket.send("{\"type\":\"ping\"}");
      }
      JsonObject limited = socket.nextOfType("error");
      assertEquals("rate_limited", limited.getString("code"), limited.toString());
      try {
        Thread.sleep(1500); // the budget refills
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      socket.send("{\"type\":\"ping\"}");
      socket.nextOfType("pong"); // handled again
      assertEquals(null, socket.closeCodeIfClosed(), "a client a little over its budget stays connected");
      // Spend the budget one ping at a time until the first refusal, then send exactly the refusals
      // that make a flood, and nothing after: pings that reach a socket the server has closed make
      // its kernel answer with a reset, which can drop the close frame (seen as 1006). Where a token
      // refilled between two of those pings, the count started again and nothing closed; then the
      // same is tried again, from a drained queue.
      Integer code = null;
      for (int attempt = 0; attempt < 3 && code == null; attempt++) {
        while (socket.poll(Duration.ZERO) != null) {
          // replies of the attempt before
        }
        JsonObject reply = null;
        for (int i = 0; i < 50 && (reply == null || !"error".equals(reply.getString("type"))); i++) {
          socket.send("{\"type\":\"ping\"}");
          reply = socket.next();
        }
        assertEquals("rate_limited", reply.getString("code", null), reply.toString());
        for (int i = 1; i < 2 * INBOUND_RATE; i++) {
          socket.send("{\"type\":\"ping\"}");
        }
        code = socket.closeCodeWithin(Duration.ofSeconds(3));
      }
      assertEquals(1008, code);
    }
    assertStillServes();
  }

  @Test
  void sessionCreationIsRateLimitedPerAddressWith429AndRetryAfter() {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 8 && limited == null; i++) {
      HttpResponse<String> r = http().post("api/v1/sessions", "", null);
      statuses.add(r.statusCode());
      if (r.statusCode() == 201) {
        MUST_NOT_BE_LOGGED.add(Http.json(r).getString("token"));
      } else if (r.statusCode() == 429) {
        limited = r;
      }
    }
    assertNotNull(limited, "no 429 after " + statuses);
    assertTrue(statuses.subList(0, statuses.size() - 1).stream().allMatch(c -> c == 201), statuses.toString());
    assertProblem(limited, 429, "Too many sessions");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertStillServes();
  }

  @Test
  void aSessionTakesAtMost16Connections() {
    Sess s = newSession();
    List<TestSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        open.add(TestSocket.ready(base, s.id, s.token));
      }
      assertEquals(1008, refusedSocket("ws/" + s.id, s.token));
    } finally {
      open.forEach(TestSocket::close);
    }
    assertStillServes();
  }

  // --- hostile client messages ---

  @Test
  void hostileClientMessagesGetErrorFramesAndTheSocketStays() {
    Sess s = newSession();
    String[][] cases = {
      {"{not json", "invalid_json"},
      {"{\"type\":\"ping\"} {\"type\":\"ping\"}", "invalid_json"},
      {"{\"type\":\"ping\",\"type\":\"auth\"}", "invalid_json"},
      {"[1,2,3]", "invalid_message"},
      {"\"ping\"", "invalid_message"},
      {"42", "invalid_message"},
      {"null", "invalid_message"},
      {"{\"type\":5}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":7}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"../../etc/passwd\"}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"%2e%2e\"}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"" + "a".repeat(129) + "\"}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"t\",\"since\":1e999999999}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"t\",\"since\":" + "9".repeat(2000) + "}", "invalid_message"},
      {"{\"type\":\"subscribe\",\"task\":\"t\",\"since\":-1}", "invalid_message"},
      {"{\"type\":\"ping\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", "invalid_message"},
      {"{\"type\":\"<script>alert(1)</script>\"}", "unknown_type"},
    };
    try (TestSocket socket = TestSocket.ready(base, s.id, s.token)) {
      for (String[] c : cases) {
        JsonObject error = socket.send(c[0]).nextOfType("error");
        assertEquals(c[1], error.getString("code"), "answer to " + cut(c[0]) + ": " + error);
        assertFalse(error.getString("message", "").isEmpty());
        pauseForTheRateLimit();
      }
      socket.sendBinary(new byte[] {0, (byte) 0xff, 1});
      assertEquals("invalid_message", socket.nextOfType("error").getString("code"));
      postStatus(s.id, "still served");
      assertEquals("still served", socket.nextOfType("status").getString("data"));
      assertFalse(socket.isClosed());
    }
  }

  @Test
  void controlCharactersAndHtmlInAStatusArriveAsTheSameText() {
    Sess s = newSession();
    String hostile = "\u0000\u0007\u001b[31m<script>alert(1)</script><img src=x onerror=alert(1)>\u2028\u2029\"\\ é 😀";
    try (TestSocket socket = TestSocket.ready(base, s.id, s.token)) {
      String body = Json.createObjectBuilder().add("message", hostile).build().toString();
      assertEquals(202, http().post("api/v1/sessions/" + s.id + "/status", body, KEY).statusCode());
      assertEquals(hostile, socket.nextOfType("status").getString("data"));
    }
    assertEquals(hostile, Http.json(http().get("api/v1/sessions/" + s.id + "/status", s.token)).getString("data"));
  }

  @Test
  void badFramesBeforeAndAfterAuthAreRefusedCleanly() throws Exception {
    Sess s = newSession();
    // binary first, text that is not auth first, oversized first: 1008 / 1009 before anything is sent
    try (RawWebSocket raw = RawWebSocket.open(base, "ws/" + s.id)) {
      raw.sendFrame(0x2, new byte[] {1, 2, 3});
      assertEquals(1008, raw.readUntilClosed(15));
    }
    try (RawWebSocket raw = RawWebSocket.open(base, "ws/" + s.id)) {
      raw.sendText("<html>");
      assertEquals(1008, raw.readUntilClosed(15));
    }
    try (RawWebSocket raw = RawWebSocket.open(base, "ws/" + s.id)) {
      raw.sendText("{\"type\":\"auth\",\"token\":\"" + "x".repeat(1024 * 1024) + "\"}");
      assertEquals(1009, raw.readUntilClosed(15));
    }
    // invalid UTF-8 in a text frame after auth: the socket is closed (1007), the server goes on
    try (RawWebSocket raw = RawWebSocket.open(base, "ws/" + s.id)) {
      raw.sendText(Json.createObjectBuilder().add("type", "auth").add("token", s.token).build().toString());
      raw.sendFrame(0x1, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
      assertEquals(1007, raw.readUntilClosed(15));
    }
    // a frame just over 64 KiB after auth: 1009
    try (TestSocket socket = TestSocket.ready(base, s.id, s.token)) {
      socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}");
      assertEquals(1009, socket.awaitClose());
    }
    assertStillServes();
  }

  // --- hostile HTTP ---

  @Test
  void hostileBodiesAre400Or413ProblemsAndTheServerGoesOn() {
    Sess s = newSession();
    String status = "api/v1/sessions/" + s.id + "/status";
    String events = "api/v1/sessions/" + s.id + "/events";
    assertProblem(http().post(status, "{\"message\":", KEY), 400, "not valid JSON");
    assertProblem(http().post(status, "{\"message\":\"a\"} trailing", KEY), 400, "not valid JSON");
    assertProblem(http().post(status, "{\"message\":\"a\",\"message\":\"b\"}", KEY), 400, "appears twice");
    assertProblem(http().post(status, "42", KEY), 400, "JSON object");
    assertProblem(http().post(status, "\"text\"", KEY), 400, "JSON object");
    assertProblem(http().post(status, "[]", KEY), 400, "JSON object");
    assertProblem(http().post(status, "", KEY), 400, "empty");
    assertProblem(http().post(status, "{\"message\":[\"x\"]}", KEY), 400, "must be a string");
    assertProblem(http().post(status, "{\"message\":null}", KEY), 400, "required");
    assertProblem(http().post(events, "{\"event_type\":\"x\",\"data\":{\"n\":1e999999999}}", KEY), 400, "out of range");
    assertProblem(http().post(events, "{\"event_type\":\"x\",\"data\":{\"n\":" + "9".repeat(5000) + "}}", KEY), 400, "out of range");
    assertProblem(http().post(events, "{\"event_type\":\"x\",\"data\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}", KEY), 400, "nested deeper");
    assertProblem(http().post(events, "{\"event_type\":7,\"data\":{}}", KEY), 400, "must be a string");
    byte[] badUtf8 = {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
    assertProblem(http().post(status, badUtf8, KEY), 400, "UTF-8");
    assertProblem(http().post(status, new byte[200 * 1024], KEY), 413, "larger than");
    assertProblem(http().post(status, "{\"message\":\"" + "x".repeat(4097) + "\"}", KEY), 413, "4096");
    // task logs: the line, metadata and batch limits
    String task = http().createTask("limits", null, s.id, KEY);
    String logs = "api/v1/tasks/" + task + "/logs";
    assertProblem(http().post(logs, "{\"level\":\"info\",\"message\":\"" + "x".repeat(16 * 1024 + 1) + "\"}", KEY), 413, "16384");
    assertProblem(http().post(logs, "{\"level\":\"info\",\"message\":\"m\",\"metadata\":{\"k\":\"" + "x".repeat(8 * 1024) + "\"}}", KEY), 413, "8192");
    String line = "{\"level\":\"info\",\"message\":\"m\"}";
    assertProblem(http().post(logs, "[" + String.join(",", java.util.Collections.nCopies(1001, line)) + "]", KEY), 413, "1000");
    assertProblem(http().post(logs, "{\"level\":\"loud\",\"message\":\"m\"}", KEY), 400, null);
    assertProblem(http().post(logs, "{\"level\":\"info\",\"message\":\"m\",\"metadata\":[1]}", KEY), 400, "metadata");
    assertEquals(202, http().post(logs, "[" + String.join(",", java.util.Collections.nCopies(1000, line)) + "]", KEY).statusCode());
    assertStillServes();
  }

  @Test
  void idsWithPathTricksAreRefusedOverHttpAndWebSocket() throws Exception {
    Sess s = newSession();
    postStatus(s.id, "mine");
    List<String> tricks =
        List.of("..", "%2e%2e", "..%2f" + s.id, "%2e%2e%2f" + s.id, s.id + "%00", "a%20b", "a.b", "%252e%252e",
            "a".repeat(129), "x".repeat(5000), "%C3%A9", "%ff");
    // over plain HTTP/1.1: the JDK client would refuse some of these paths itself, and over h2c a
    // 5,000-character path leaves Payara's HTTP/2 connection answering 431 to everything after it
    for (String trick : tricks) {
      Handshake get = rawHttp("GET", "api/v1/sessions/" + trick + "/status", s.token, null);
      assertTrue(get.status >= 400 && get.status < 500, cut(trick) + " answered " + shown(get.head));
      assertFalse(get.head.contains("mine"), trick);
      Handshake post = rawHttp("POST", "api/v1/sessions/" + trick + "/status", KEY, "{\"message\":\"x\"}");
      assertTrue(post.status >= 400 && post.status < 500, cut(trick) + " answered " + shown(post.head));
      Handshake logs = rawHttp("GET", "api/v1/tasks/" + trick + "/logs", KEY, null);
      assertTrue(logs.status >= 400 && logs.status < 500, cut(trick) + " answered " + shown(logs.head));
      for (String path : List.of("ws/" + trick, "ws/tasks/" + trick)) {
        Handshake h = handshake(path, null, null);
        if (h.status == 101) {
          assertEquals(1008, refusedSocket(path, s.token), path);
        } else {
          // not a socket: refused, or (for "..") normalised by the container to another page
          assertTrue(h.status < 500, path + " answered " + h.status);
        }
      }
    }
    assertStillServes();
  }

  // --- floods of connections ---

  @Test
  void halfOpenConnectionsAndSocketsThatNeverAuthenticateDoNotStopTheServer() throws Exception {
    List<Socket> halfOpen = new ArrayList<>();
    List<RawWebSocket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        Socket tcp = new Socket(base.getHost(), base.getPort());
        halfOpen.add(tcp);
        if (i % 2 == 0) {
          // a handshake that is never finished
          tcp.getOutputStream().write(("GET " + base.getPath() + "ws/s" + i + " HTTP/1.1\r\nHost: x\r\nUpgrade: web")
              .getBytes(StandardCharsets.US_ASCII));
          tcp.getOutputStream().flush();
        }
      }
      for (int i = 0; i < 30; i++) {
        silent.add(RawWebSocket.open(base, "ws/" + newId()));
      }
      assertStillServes();
      for (RawWebSocket s : silent) {
        assertEquals(1008, s.readUntilClosed(20), "a socket that never authenticates is closed");
      }
      assertStillServes();
    } finally {
      for (Socket tcp : halfOpen) {
        tcp.close();
      }
      for (RawWebSocket s : silent) {
        s.close();
      }
    }
    assertStillServes();
  }

  // --- the log, last ---

  @Test
  @Order(Integer.MAX_VALUE)
  void theServerLogHoldsNoTokenKeyOrMessageContent() throws Exception {
    assertStillServes();
    // Payara Micro's --logtofile writes security-it-server.log.0 (and .1 … where it rotates)
    Path dir = Path.of(System.getProperty("test.tmpdir", "target/tmp"));
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path log : files.filter(p -> p.getFileName().toString().startsWith("security-it-server.log")).toList()) {
        all.append(Files.readString(log, StandardCharsets.ISO_8859_1));
      }
    }
    String text = all.toString();
    assertTrue(text.contains("Payara Micro"), "the server log was written under " + dir);
    assertTrue(text.contains("Refused a socket: token"), "refusals were logged, at FINE");
    MUST_NOT_BE_LOGGED.add(KEY);
    MUST_NOT_BE_LOGGED.add(ROTATED_KEY);
    assertTrue(MUST_NOT_BE_LOGGED.size() > 20, "the run used tokens and contents: " + MUST_NOT_BE_LOGGED.size());
    for (String secret : MUST_NOT_BE_LOGGED) {
      assertFalse(text.contains(secret), "the server log contains " + cut(secret));
      // and not its signature alone, where it is a token
      int lastDot = secret.lastIndexOf('.');
      if (lastDot > 0 && secret.length() - lastDot > 20) {
        assertFalse(text.contains(secret.substring(lastDot + 1)), "the log holds a token signature");
      }
    }
  }

  // --- helpers ---

  private record Sess(String id, String token) {}

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "sec-" + HexFormat.of().formatHex(b);
  }

  private static Sess newSession() {
    String id = newId();
    String token = TOKENS.issue(id);
    MUST_NOT_BE_LOGGED.add(token);
    return new Sess(id, token);
  }

  private void postStatus(String session, String text) {
    MUST_NOT_BE_LOGGED.add(text);
    String body = Json.createObjectBuilder().add("message", text).build().toString();
    assertEquals(202, http().post("api/v1/sessions/" + session + "/status", body, KEY).statusCode());
  }

  /** A fresh session still gets its status live: the server serves after whatever came before. */
  private void assertStillServes() {
    Sess s = newSession();
    String text = "private status " + newId();
    try (TestSocket socket = TestSocket.ready(base, s.id, s.token)) {
      postStatus(s.id, text);
      assertEquals(text, socket.nextOfType("status").getString("data"));
    }
  }

  /** Opens a socket, sends the credential as auth and returns the close code it gets. */
  private int refusedSocket(String path, String credential) {
    try (TestSocket socket = TestSocket.open(TestSocket.wsUri(base, path), null)) {
      socket.send(Json.createObjectBuilder().add("type", "auth").add("token", credential).build().toString());
      int code = socket.awaitClose();
      JsonObject first = socket.poll(Duration.ZERO);
      assertTrue(first == null, "nothing is sent before a refusal: " + first);
      return code;
    } catch (CompletionException e) {
      return 1008; // closed by the server before the auth could even be sent
    }
  }

  private static int awaitClose(TestSocket socket, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Integer code = socket.closeCodeIfClosed();
      if (code != null) {
        return code;
      }
      socket.poll(Duration.ofMillis(200));
    }
    throw new AssertionError("the socket was not closed within " + within);
  }

  /** Client messages are limited to 5 a second here: a test that sends many spaces them out. */
  private static void pauseForTheRateLimit() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Handshake(int status, String head) {}

  /** A raw WebSocket handshake with the given Origin and extensions offer; the answer's head. */
  private Handshake handshake(String path, String origin, String extensions) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(15_000);
      StringBuilder request =
          new StringBuilder("GET " + base.getPath() + path + " HTTP/1.1\r\n")
              .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
              .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
              .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
      if (origin != null) {
        request.append("Origin: ").append(origin).append("\r\n");
      }
      if (extensions != null) {
        request.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String text = readHead(socket.getInputStream());
      String[] statusLine = text.split(" ", 3);
      if (statusLine.length < 2) {
        throw new IOException("no HTTP answer to the handshake of " + path + ": " + text);
      }
      return new Handshake(Integer.parseInt(statusLine[1]), text);
    }
  }

  /** One HTTP/1.1 request on its own connection, path as given; the status and the whole answer. */
  private Handshake rawHttp(String method, String path, String bearer, String body) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(15_000);
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String request =
          method + " " + base.getPath() + path + " HTTP/1.1\r\n"
              + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
              + "Authorization: Bearer " + bearer + "\r\n"
              + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n"
              + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      String head;
      try {
        head = readHead(in);
      } catch (SocketTimeoutException e) {
        throw new IOException("no answer in 15 s to " + method + " " + cut(path), e);
      }
      String[] statusLine = head.split(" ", 3);
      if (statusLine.length < 2) {
        throw new IOException("no HTTP answer to " + method + " " + cut(path) + ": " + cut(head));
      }
      try {
        return new Handshake(Integer.parseInt(statusLine[1]), head + readBody(in, head));
      } catch (SocketTimeoutException e) {
        throw new IOException("the answer to " + method + " " + cut(path) + " stopped after its head: " + cut(head), e);
      }
    }
  }

  /** An HTTP answer's status line and headers, up to the blank line (or what came before the end). */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * The body after a head: as many bytes as its Content-Length, a chunked body up to its last
   * chunk, or else everything until the server closes. The answer is read by its own framing, so
   * it does not depend on when the server closes the connection after it.
   */
  private static String readBody(InputStream in, String head) throws IOException {
    String headers = head.toLowerCase(Locale.ROOT);
    Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(headers);
    if (length.find()) {
      return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }
    if (headers.contains("\r\ntransfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      String text = "";
      while (!text.equals("0\r\n\r\n") && !text.endsWith("\r\n0\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        body.write(b);
        text = body.toString(StandardCharsets.ISO_8859_1);
      }
      return body.toString(StandardCharsets.UTF_8);
    }
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detailPart) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    JsonObject problem = Http.json(r);
    assertEquals(status, problem.getInt("status"));
    if (detailPart != null) {
      assertTrue(problem.getString("detail", "").contains(detailPart), "detail of " + cut(r.body()));
    }
  }

  /** An answer as a failure message shows it: long enough for its head and the start of its body. */
  private static String shown(String answer) {
    return answer.length() > 600 ? answer.substring(0, 600) + "…" : answer;
  }

  private static String cut(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
