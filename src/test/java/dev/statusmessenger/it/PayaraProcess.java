package dev.statusmessenger.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Payara Micro process of the built WAR ({@code target/status-messenger.war} on
 * {@code target/payara-micro.jar}), started by the test rather than by Arquillian, for what
 * Arquillian's container cannot show: several clustered nodes, a node killed or sent SIGTERM while
 * sockets are open, a restart on the same port. It listens on loopback (a random HTTP port unless
 * given one), keeps its temporary files and its log under {@code target/}, and is always ended by
 * {@link #close()}.
 *
 * <pre>{@code
 * try (PayaraProcess node = PayaraProcess.start(0)) {           // alone, as the run command
 *   new Http(node.base()).createSession();
 * }
 * PayaraProcess a = PayaraProcess.clustered("a", "my-cluster", gridPorts, 0).launch().awaitReady(wait);
 * }</pre>
 */
public final class PayaraProcess implements AutoCloseable {

  /** The producer key and token secret every node of a test shares. */
  public static final String API_KEY = "it-producer-key";

  public static final String TOKEN_SECRET = "it-secret-of-thirty-two-bytes-xx";

  private final String name;
  private final int httpPort;
  private final List<String> microOptions;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Path log;
  private Process process;

  private PayaraProcess(String name, List<String> microOptions, int httpPort) {
    this.name = name;
    this.httpPort = httpPort > 0 ? httpPort : freePort();
    this.microOptions = microOptions;
    this.log = Path.of(System.getProperty("test.tmpdir", "target/tmp"), name + ".log");
    properties.put("status-messenger.api-keys", API_KEY);
    properties.put("status-messenger.token-secret", TOKEN_SECRET);
  }

  /** A node that runs alone ({@code --nocluster}), as the default run command does. */
  public static PayaraProcess single(String name) {
    return new PayaraProcess(name, List.of("--nocluster", "--nohostaware"), 0);
  }

  /**
   * Starts a node alone on {@code port} (0 for a free one) with the given {@code key=value} system
   * properties, and waits until it serves, at most 3 min.
   */
  public static PayaraProcess start(int port, String... systemProperties) {
    for (int attempt = 1; ; attempt++) {
      PayaraProcess node =
          new PayaraProcess(
              "payara-" + (port > 0 ? port : "any") + "-" + System.nanoTime(),
              List.of("--nocluster", "--nohostaware"), port);
      for (String property : systemProperties) {
        int split = property.indexOf('=');
        node.with(property.substring(0, split), property.substring(split + 1));
      }
      node.launch();
      try {
        return node.awaitReady(Duration.ofMinutes(3));
      } catch (BootFailed e) {
        node.kill();
        if (attempt == 2) {
          throw e;
        }
        // Payara's own boot, before any application code: not what these tests are about
        System.err.println("Payara Micro " + node.name + " failed its own boot; starting it once more");
      } catch (AssertionError e) {
        node.kill();
        throw e;
      }
    }
  }

  /**
   * Payara Micro logged that its own boot failed (seen once in a CI-like run: a
   * ConcurrentModificationException in HK2 while its run levels start MetricsServiceImpl) and then
   * hung instead of exiting.
   */
  static final class BootFailed extends AssertionError {
    BootFailed(String message) {
      super(message);
    }
  }

  /**
   * A node of a cluster on loopback: it joins the members at {@code gridPorts} (its own among them,
   * at {@code gridPorts[index]}) under {@code clusterName}. Host-aware partitioning is off so
   * backups may live on another process of the same host.
   */
  public static PayaraProcess clustered(String name, String clusterName, int[] gridPorts, int index) {
    StringBuilder members = new StringBuilder("tcpip:");
    for (int i = 0; i < gridPorts.length; i++) {
      members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(gridPorts[i]);
    }
    return new PayaraProcess(
        name,
        List.of(
            "--clustermode", members.toString(),
            "--interfaces", "127.0.0.1",
            "--clustername", clusterName,
            "--startport", Integer.toString(gridPorts[index]),
            "--nohostaware"),
        0);
  }

  /** Sets a system property of the node (a {@code status-messenger.*} setting, for example). */
  public PayaraProcess with(String property, String value) {
    properties.put(property, value);
    return this;
  }

  /** Starts the process; {@link #awaitReady} waits for the application. */
  public PayaraProcess launch() {
    Path jar = Path.of(System.getProperty("payara.micro.jar", "target/payara-micro.jar"));
    Path war = Path.of(System.getProperty("status-messenger.war", "target/status-messenger.war"));
    Path tmp = log.resolveSibling(name + "-tmp");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of("--deploy", war.toAbsolutePath().toString(), "--contextroot", "/"));
    command.addAll(List.of("--port", Integer.toString(httpPort), "--name", name));
    command.addAll(microOptions);
    try {
      Files.createDirectories(tmp);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("Could not start Payara Micro " + name, e);
    }
    return this;
  }

  /**
   * Waits until Payara says it is ready and the application answers HTTP, failing with the log's
   * tail where it does not.
   */
  public PayaraProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; log tail:\n" + logTail());
      }
      if (logContains(" ready in ") && answers()) { // Payara's "ready" comes after its last listener change
        return this;
      }
      if (logContains("Failed to start, exiting")) {
        throw new BootFailed(name + " failed its own boot; log tail:\n" + logTail());
      }
      sleep(500);
    }
    throw new AssertionError(name + " was not ready within " + timeout + "; log tail:\n" + logTail());
  }

  /** Waits until the node's log says the data grid has {@code members} members. */
  public PayaraProcess awaitGridMembers(int members, Duration timeout) {
    String needle = "DG Size: " + members; // Payara's data grid status, logged on every change
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (logContains(needle)) {
        return this;
      }
      if (!process.isAlive()) {
        break;
      }
      sleep(250);
    }
    throw new AssertionError(
        name + " did not see " + members + " grid members within " + timeout + "; log tail:\n" + logTail());
  }

  /** Whether the node's log holds the text. */
  public boolean logContains(String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** The application's base URL, ending with a slash. */
  public URL url() {
    try {
      return URI.create("http://127.0.0.1:" + httpPort + "/").toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same as {@link #url()}. */
  public URL base() {
    return url();
  }

  public int port() {
    return httpPort;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the process at once (no shutdown hooks), as a crashed node would go. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
    }
  }

  /** Sends SIGTERM, as an orchestrator stopping a container does, and waits for the exit code. */
  public int terminate(Duration wait) {
    process.destroy();
    if (!waitFor(wait)) {
      process.destroyForcibly();
      throw new AssertionError("Payara Micro did not stop within " + wait + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** What the server wrote to its console and log. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The last lines of the node's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
          .lines()
          .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l)
          .reduce((a, b) -> a + "\n" + b)
          .orElse("");
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the process where it still runs. */
  @Override
  public void close() {
    kill();
  }

  /** A free TCP port on loopback (for HTTP and for the data grid). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(url(), "status-messenger.js").openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
