package dev.statusmessenger.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built WAR on a Payara Micro process of the test's own, for what Arquillian's container cannot
 * show: a SIGTERM while sockets are open, a restart on the same port. Started with the same
 * settings as the Arquillian container; its output goes to a file under target/.
 */
public final class PayaraProcess implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int port;
  private final Path log;
  private final Process process;

  private PayaraProcess(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts the product on {@code port} (0 for a free one) and waits until it serves, at most 3 min. */
  public static PayaraProcess start(int port, String... systemProperties) {
    int chosen = port > 0 ? port : freePort();
    String tmp = System.getProperty("test.tmpdir", "target/tmp");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-Dstatus-messenger.api-keys=" + SessionMessagingIT.PRODUCER_KEY);
    command.add("-Dstatus-messenger.token-secret=it-secret-of-thirty-two-bytes-xx");
    for (String property : systemProperties) {
      command.add("-D" + property);
    }
    command.addAll(
        List.of(
            "-jar", System.getProperty("payara.micro.jar", "target/payara-micro.jar"),
            "--deploy", System.getProperty("status-messenger.war", "target/status-messenger.war"),
            "--contextroot", "/",
            "--port", String.valueOf(chosen),
            "--nocluster", "--nohostaware"));
    try {
      Path log = Files.createDirectories(Path.of(tmp)).resolve("payara-" + chosen + "-" + System.nanoTime() + ".log");
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PayaraProcess payara = new PayaraProcess(chosen, log, process);
      payara.awaitServing(Duration.ofMinutes(3));
      return payara;
    } catch (IOException e) {
      throw new AssertionError("could not start Payara Micro", e);
    }
  }

  public URL base() {
    try {
      return new URL("http://127.0.0.1:" + port + "/");
    } catch (java.net.MalformedURLException e) {
      throw new AssertionError(e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** What the server wrote to its console and log. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends SIGTERM, as an orchestrator stopping a container does, and waits for the exit. */
  public int terminate(Duration wait) {
    process.destroy();
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Payara Micro did not stop within " + wait + " of SIGTERM");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void awaitServing(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status-messenger.js")).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Payara Micro exited at start:\n" + tail());
      }
      try {
        if (CLIENT.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep(500);
    }
    kill();
    throw new AssertionError("Payara Micro did not serve within " + wait + ":\n" + tail());
  }

  private String tail() {
    String out = output();
    return out.substring(Math.max(0, out.length() - 3000));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
