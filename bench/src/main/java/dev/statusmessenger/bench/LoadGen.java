package dev.statusmessenger.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load generator, the same for the product and every peer. Scenarios:
 *
 * <ul>
 *   <li>{@code s1}: fan-out. Opens {@code sockets} authenticated sockets (sessions {@code b0…}),
 *       warms up, then for each offered rate asks the target's in-process producer for that many
 *       ~200-byte messages a second (each to the next session) and measures, per step, latency from
 *       scheduled send time to receipt (p50, p99), delivered frames/s, and the server's CPU per frame
 *       (from /proc of its pid).
 *   <li>{@code s2}: idle memory. Opens sockets up to each count, and reads the server's heap after
 *       a full GC and its RSS; the slope between counts is the cost of one idle socket.
 *   <li>{@code s3}: HTTP ingest (the product only): single-line and 1,000-line log POSTs from a few
 *       keep-alive connections, with a live viewer on the task that must receive every accepted line.
 *       With {@code warmup=} seconds, the same POSTs go first to a task of their own for that long
 *       (single lines, then batches for a third of it), so the measure is of a JIT-compiled HTTP
 *       path: on one core, Payara's whole request path runs interpreted for the first tens of
 *       seconds, and a plain JAX-RS endpoint answers ~700 POSTs/s there against ~17,000/s warm.
 *   <li>{@code s4}: cluster (the product only). Opens {@code sockets} sockets on the node at {@code
 *       port} and has the producer of the node at {@code producer-port} (the same node by default)
 *       send {@code rate} messages a second for {@code seconds}; measures latency from scheduled
 *       send time to receipt and counts what never arrived. The producer is {@code producers}
 *       paced threads with staggered schedules, each sending to its own share of the sessions (a
 *       grid append waits on several grid round trips, so one thread alone falls behind at 1,000
 *       a second and would measure its own backlog). With {@code pids}, the CPU those server
 *       processes used over the measurement, per message and in cores kept busy (1.00 is one
 *       core's worth; with PIN=1 the servers have one). Each node's control socket says whether
 *       its streams are in the data grid or in memory, and the run stops where that is not {@code
 *       expect} ({@code grid} or {@code memory}).
 * </ul>
 *
 * <p>Every result is one line on stdout starting with the scenario name, {@code key=value} pairs.
 */
public final class LoadGen {

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 1; i < argv.length; i++) {
      String[] kv = argv[i].split("=", 2);
      a.put(kv[0], kv[1]);
    }
    switch (argv[0]) {
      case "s1" -> fanOut(a);
      case "s2" -> idleMemory(a);
      case "s3" -> ingest(a);
      case "s4" -> cluster(a);
      default -> throw new IllegalArgumentException("scenario s1, s2, s3 or s4");
    }
    System.exit(0);
  }

  // --- S1 ---

  private static void fanOut(Map<String, String> a) throws Exception {
    int port = Integer.parseInt(a.get("port"));
    long pid = Long.parseLong(a.get("pid"));
    String label = a.get("target");
    String rep = a.getOrDefault("rep", "1");
    int sockets = Integer.parseInt(a.getOrDefault("sockets", "1000"));
    double step = Double.parseDouble(a.getOrDefault("step", "6"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "0"));
    int warmupRate = Integer.parseInt(a.getOrDefault("warmup-rate", "5000"));
    String[] rates = a.getOrDefault("rates", "5000,10000,20000,30000,40000,50000").split(",");
    try (Control control = new Control(port);
        WsClients clients = new WsClients(port)) {
      String[] tokens = control.tokens(sockets);
      List<WsClients.Ws> open = clients.openSessions(0, sockets, tokens, deadline(60));
      requireReady(clients, sockets, label);
      if (warmup > 0) {
        // A third at the warm-up rate, then the step rates in turn: a warm-up at one low rate left
        // the first step to recompile its paths under load (its p99 failed in most runs, 2026-12-03)
        control.produce(warmupRate, warmup / 3, sockets, deadline(warmup + 120));
        double each = warmup * 2 / 3 / rates.length;
        for (String r : rates) {
          control.produce(Integer.parseInt(r), each, sockets, deadline(each * 20 + 60));
          clients.awaitQuiet(1000, deadline(60));
        }
      }
      clients.awaitQuiet(1000, deadline(60)); // the backlog of what ran before is gone
      for (String r : rates) {
        int rate = Integer.parseInt(r);
        reopenClosed(clients, open, tokens, sockets);
        clients.swap();
        long closedBefore = clients.closedCount.get();
        java.util.Map<String, Long> reasonsBefore = clients.closeReasonsNow();
        long[] cpu0 = cpuTicks(pid);
        long[] self0 = cpuTicks(ProcessHandle.current().pid());
        long pauses0 = ownPauseMillis();
        long t0 = System.nanoTime();
        long[] produced = control.produce(rate, step, sockets, deadline(step * 20 + 60));
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clients.current.count() < produced[0] && System.nanoTime() < drainUntil) {
          WsClients.sleep(5);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] cpu1 = cpuTicks(pid);
        long[] self1 = cpuTicks(ProcessHandle.current().pid());
        long ownPauses = ownPauseMillis() - pauses0;
        WsClients.sleep(20);
        WsClients.Histogram h = clients.swap();
        long received = h.count();
        double serverCpuMicros = (cpu1[0] - cpu0[0]) * 1e6 / TICKS;
        double clientCpuMicros = (self1[0] - self0[0]) * 1e6 / TICKS;
        long closed = clients.closedCount.get() - closedBefore;
        boolean held = received >= produced[0] * 0.999 && produced[1] == 0 && closed == 0
            && h.quantileMillis(0.99) <= 50 && h.negative() == 0 && ownPauses <= OWN_PAUSE_LIMIT_MS;
        System.out.printf(Locale.ROOT,
            "s1 target=%s rep=%s rate=%d sent=%d refused=%d received=%d closed=%d close_reasons=%s p50_ms=%.2f p99_ms=%.2f"
                + " fps=%.0f cpu_us_per_frame=%.1f client_cpu_us_per_frame=%.1f producer_ns_per_call=%.0f clock_stepped=%d"
                + " loadgen_gc_pause_ms=%d held=%s%n",
            label, rep, rate, produced[0], produced[1], received, closed, clients.closeReasonsSince(reasonsBefore),
            h.quantileMillis(0.5),
            h.quantileMillis(0.99), received / step, received == 0 ? 0 : serverCpuMicros / received,
            received == 0 ? 0 : clientCpuMicros / received,
            produced[0] == 0 ? 0 : (double) produced[2] / produced[0], h.negative(), ownPauses, held);
        if (elapsed > step * 4 && !held) {
          break; // far past saturation: higher rates only take longer
        }
        clients.awaitQuiet(1000, deadline(30));
      }
    }
  }

  private static void reopenClosed(WsClients clients, List<WsClients.Ws> open, String[] tokens, int sockets) {
    for (int i = 0; i < open.size(); i++) {
      if (open.get(i).closed) {
        open.set(i, clients.open("/ws/b" + i, WsClients.authFrame(tokens[i], -1, false), false));
      }
    }
    long until = deadline(30);
    while (clients.readyCount.get() < sockets && System.nanoTime() < until) {
      WsClients.sleep(10);
    }
  }

  private static void requireReady(WsClients clients, int expected, String label) {
    if (clients.readyCount.get() < expected) {
      throw new IllegalStateException(
          label + ": only " + clients.readyCount.get() + " of " + expected + " sockets became ready");
    }
  }

  // --- S2 ---

  private static void idleMemory(Map<String, String> a) throws Exception {
    int port = Integer.parseInt(a.get("port"));
    long pid = Long.parseLong(a.get("pid"));
    String label = a.get("target");
    String[] counts = a.getOrDefault("counts", "5000,10000").split(",");
    int max = Integer.parseInt(counts[counts.length - 1]);
    try (Control control = new Control(port);
        WsClients clients = new WsClients(port)) {
      String[] tokens = control.tokens(max);
      long[] heap = new long[counts.length];
      long[] rss = new long[counts.length];
      @SuppressWarnings("unchecked")
      Map<String, long[]>[] histograms = a.containsKey("histo") ? new Map[counts.length] : null;
      int from = 0;
      for (int i = 0; i < counts.length; i++) {
        int to = Integer.parseInt(counts[i]);
        clients.openSessions(from, to, tokens, deadline(120));
        requireReady(clients, to, label);
        from = to;
        WsClients.sleep(2000);
        heap[i] = control.mem();
        rss[i] = rssBytes(pid);
        System.out.printf(Locale.ROOT, "s2 target=%s sockets=%d heap_bytes=%d rss_bytes=%d%n", label, to, heap[i], rss[i]);
        if (histograms != null) {
          histograms[i] = classHistogram(pid);
        }
      }
      int n = counts.length - 1;
      int span = Integer.parseInt(counts[n]) - Integer.parseInt(counts[0]);
      System.out.printf(Locale.ROOT, "s2 target=%s heap_kb_per_socket=%.1f rss_kb_per_socket=%.1f%n", label,
          (heap[n] - heap[0]) / 1024.0 / span, (rss[n] - rss[0]) / 1024.0 / span);
      if (histograms != null) {
        printPerSocketClasses(label, histograms[0], histograms[n], span, Integer.parseInt(a.get("histo")));
      }
    }
  }

  /** Bytes and instances per class, from {@code jcmd <pid> GC.class_histogram} (which collects first). */
  private static Map<String, long[]> classHistogram(long pid) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
        .redirectErrorStream(true).start();
    Map<String, long[]> classes = new HashMap<>();
    for (String line : new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) { // "num:  instances  bytes  class (module)"
        classes.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
      }
    }
    jcmd.waitFor();
    return classes;
  }

  /** The classes whose bytes grew most between two socket counts, per socket added. */
  private static void printPerSocketClasses(String label, Map<String, long[]> from, Map<String, long[]> to,
      int span, int top) {
    record Growth(String type, double objects, double bytes) {}
    List<Growth> growth = new java.util.ArrayList<>();
    for (Map.Entry<String, long[]> e : to.entrySet()) {
      long[] before = from.getOrDefault(e.getKey(), new long[2]);
      growth.add(new Growth(e.getKey(), (e.getValue()[0] - before[0]) / (double) span,
          (e.getValue()[1] - before[1]) / (double) span));
    }
    growth.sort((x, y) -> Double.compare(y.bytes(), x.bytes()));
    for (Growth g : growth.subList(0, Math.min(top, growth.size()))) {
      System.out.printf(Locale.ROOT, "s2-class target=%s bytes_per_socket=%.0f objects_per_socket=%.2f class=%s%n",
          label, g.bytes(), g.objects(), g.type());
    }
  }

  // --- S3 ---

  private static void ingest(Map<String, String> a) throws Exception {
    int port = Integer.parseInt(a.get("port"));
    long pid = Long.parseLong(a.get("pid"));
    String key = a.get("key");
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "5"));
    int connections = Integer.parseInt(a.getOrDefault("connections", "8"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "0"));
    String line = "{\"level\":\"info\",\"message\":\"step 42 of the bench run: fetched 1532 rows in 12 ms\"}";
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      batch.append(i == 0 ? "" : ",").append(line);
    }
    String batchBody = batch.append(']').toString();
    if (warmup > 0) { // the same POSTs on a task nobody watches, not counted
      String warm = Http.request(port, "POST", "/api/v1/tasks", key, "{\"description\":\"bench warm-up\"}")
          .replaceAll("(?s).*\"task_id\":\"([^\"]+)\".*", "$1");
      AtomicLong ignored = new AtomicLong();
      post(port, key, "/api/v1/tasks/" + warm + "/logs", line, 1, warmup, connections, ignored);
      post(port, key, "/api/v1/tasks/" + warm + "/logs", batchBody, 1000, warmup / 3, 2, ignored);
    }
    String created = Http.request(port, "POST", "/api/v1/tasks", key, "{\"description\":\"bench\"}");
    String task = created.replaceAll("(?s).*\"task_id\":\"([^\"]+)\".*", "$1");
    try (WsClients clients = new WsClients(port)) {
      WsClients.Ws[] viewer = {clients.open("/ws/tasks/" + task, WsClients.authFrame(key, -1, true), true)};
      long until = deadline(10);
      while (!viewer[0].ready && System.nanoTime() < until) {
        WsClients.sleep(5);
      }
      AtomicLong accepted = new AtomicLong();
      Thread resumer = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          if (viewer[0].closed) { // 1013 for a slow viewer: resume from its cursor, as the JS client does
            long since = Math.max(0, viewer[0].lastSeq);
            WsClients.Ws next = clients.open("/ws/tasks/" + task, WsClients.authFrame(key, since, true), true);
            next.lastSeq = since;
            viewer[0] = next;
          }
          WsClients.sleep(20);
        }
      });
      resumer.setDaemon(true);
      resumer.start();
      long self = ProcessHandle.current().pid();
      long[] server0 = cpuTicks(pid);
      long[] client0 = cpuTicks(self);
      long singles = post(port, key, "/api/v1/tasks/" + task + "/logs", line, 1, seconds, connections, accepted);
      double serverMicros = (cpuTicks(pid)[0] - server0[0]) * 1e6 / TICKS;
      double clientMicros = (cpuTicks(self)[0] - client0[0]) * 1e6 / TICKS;
      long batched = post(port, key, "/api/v1/tasks/" + task + "/logs", batchBody, 1000, seconds, 2, accepted);
      long total = accepted.get();
      long drain = deadline(60);
      while (viewer[0].lastSeq < total && System.nanoTime() < drain) {
        WsClients.sleep(20);
      }
      resumer.interrupt();
      System.out.printf(Locale.ROOT,
          "s3 target=product single_posts_per_s=%.0f server_cpu_us_per_single=%.1f client_cpu_us_per_single=%.1f"
              + " batched_lines_per_s=%.0f accepted_lines=%d viewer_seq=%d all_delivered=%s%n",
          singles / seconds, singles == 0 ? 0 : serverMicros / singles, singles == 0 ? 0 : clientMicros / singles,
          batched / seconds, total, viewer[0].lastSeq, viewer[0].lastSeq >= total);
    }
  }

  /** Posts {@code body} from {@code connections} keep-alive connections for a while; returns lines accepted. */
  private static long post(int port, String key, String path, String body, int linesPerPost, double seconds,
      int connections, AtomicLong accepted) throws InterruptedException {
    AtomicLong lines = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      threads[c] = new Thread(() -> {
        while (System.nanoTime() < end) {
          try (Http http = new Http(port)) {
            while (System.nanoTime() < end) {
              if (http.post(path, key, body) == 202) {
                lines.addAndGet(linesPerPost);
                accepted.addAndGet(linesPerPost);
              }
            }
          } catch (IOException serverClosedTheConnection) {
            // keep-alive ended by the server (a request whose answer was lost is not counted): reconnect
          }
        }
      });
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return lines.get();
  }

  // --- S4 ---

  private static void cluster(Map<String, String> a) throws Exception {
    String path = a.get("path");
    int port = Integer.parseInt(a.get("port"));
    int producerPort = Integer.parseInt(a.getOrDefault("producer-port", a.get("port")));
    String expect = a.get("expect");
    int sockets = Integer.parseInt(a.getOrDefault("sockets", "100"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "20"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "10"));
    int producers = Integer.parseInt(a.getOrDefault("producers", "1"));
    long[] pids = java.util.Arrays.stream(a.getOrDefault("pids", "").split(",")).filter(p -> !p.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    try (Control control = new Control(port);
        Control remote = producerPort == port ? null : new Control(producerPort);
        WsClients clients = new WsClients(port)) {
      Control producer = remote == null ? control : remote;
      String socketsMode = requireMode(control, expect, path, "sockets' node");
      String producerMode = requireMode(producer, expect, path, "producer's node");
      String[] tokens = control.tokens(sockets);
      clients.openSessions(0, sockets, tokens, deadline(60));
      requireReady(clients, sockets, path);
      if (warmup > 0) {
        producer.produce(rate, warmup, sockets, producers, deadline(warmup * 20 + 60));
      }
      clients.awaitQuiet(1000, deadline(60));
      clients.swap();
      long closedBefore = clients.closedCount.get();
      java.util.Map<String, Long> reasonsBefore = clients.closeReasonsNow();
      long cpu0 = cpuTicks(pids);
      long pauses0 = ownPauseMillis();
      long t0 = System.nanoTime();
      long[] produced = producer.produce(rate, seconds, sockets, producers, deadline(seconds * 20 + 60));
      long drainUntil = deadline(30);
      while (clients.current.count() < produced[0] && System.nanoTime() < drainUntil) {
        WsClients.sleep(5);
      }
      double cpuSeconds = (cpuTicks(pids) - cpu0) / TICKS;
      double wall = (System.nanoTime() - t0) / 1e9;
      long ownPauses = ownPauseMillis() - pauses0;
      WsClients.sleep(20);
      WsClients.Histogram h = clients.swap();
      long received = h.count();
      long lost = Math.max(0, produced[0] - received);
      long closed = clients.closedCount.get() - closedBefore;
      boolean held = lost == 0 && produced[1] == 0 && closed == 0 && h.quantileMillis(0.99) <= 10
          && h.negative() == 0 && ownPauses <= OWN_PAUSE_LIMIT_MS;
      System.out.printf(Locale.ROOT,
          "s4 path=%s sockets_mode=%s producer_mode=%s rate=%d sockets=%d producers=%d seconds=%s sent=%d"
              + " refused=%d received=%d lost=%d closed=%d close_reasons=%s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
              + " producer_ns_per_call=%.0f server_cpu_us_per_msg=%.0f server_cores_busy=%.2f clock_stepped=%d loadgen_gc_pause_ms=%d held=%s%n",
          path, socketsMode, producerMode, rate, sockets, producers, a.getOrDefault("seconds", "20"),
          produced[0], produced[1], received, lost, closed, clients.closeReasonsSince(reasonsBefore),
          h.quantileMillis(0.5), h.quantileMillis(0.99),
          h.quantileMillis(1.0), produced[0] == 0 ? 0 : (double) produced[2] / produced[0],
          produced[0] == 0 ? 0 : cpuSeconds * 1e6 / produced[0], cpuSeconds / wall, h.negative(), ownPauses, held);
    }
  }

  /** The node's path ({@code grid/2}, {@code memory/1}); fails where it is not the expected one. */
  private static String requireMode(Control control, String expect, String path, String which)
      throws InterruptedException {
    String[] reply = control.ask("cluster", deadline(30)).split(" ");
    String mode = reply[1] + "/" + reply[2];
    boolean ok = expect == null
        || (expect.equals("grid") ? reply[1].equals("grid") && Integer.parseInt(reply[2]) >= 2 : reply[1].equals(expect));
    if (!ok) {
      throw new IllegalStateException(path + ": the " + which + " runs " + mode + ", expected " + expect);
    }
    return mode;
  }

  // --- helpers ---

  private static final double TICKS = 100.0; // USER_HZ on Linux

  /** utime + stime of the processes together, in clock ticks. */
  static long cpuTicks(long[] pids) throws IOException {
    long sum = 0;
    for (long pid : pids) {
      sum += cpuTicks(pid)[0];
    }
    return sum;
  }

  /**
   * A step in which the load generator itself stood still longer than this does not count as held:
   * its latencies are partly its own (as a step the clock moved under does not count either).
   */
  static final long OWN_PAUSE_LIMIT_MS = 5;

  /**
   * Milliseconds this load generator's own JVM has stood still for its collector so far. A pause
   * here delays every frame's receipt and reads as the server's latency: with one CPU (taskset) the
   * JVM picks the Serial collector, whose young pauses of 40-190 ms broke S1's p99 in most
   * repetitions until run.sh gave the load generator ZGC (2026-12-03). ZGC's concurrent cycles
   * ("ZGC Cycles") do not stop the application and are not counted.
   */
  static long ownPauseMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Cycles") && !gc.getName().contains("Concurrent")) {
        total += Math.max(0, gc.getCollectionTime());
      }
    }
    return total;
  }

  /** {utime + stime} of a process, in clock ticks. */
  static long[] cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
  }

  static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  static long deadline(double seconds) {
    return System.nanoTime() + (long) (seconds * 1e9);
  }

  /** The target's control socket, {@code /bench/control}: one command at a time. */
  static final class Control implements WebSocket.Listener, AutoCloseable {
    private final WebSocket socket;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    Control(int port) {
      socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/bench/control"), this).join();
    }

    String[] tokens(int n) throws InterruptedException {
      String reply = ask("tokens " + n, deadline(60));
      String[] parts = reply.split(" ");
      String[] tokens = new String[n];
      System.arraycopy(parts, 1, tokens, 0, n);
      return tokens;
    }

    /** Runs the producer; returns {sent, refused, nanoseconds inside the publish calls}. */
    long[] produce(int rate, double seconds, int sessions, long deadline) throws InterruptedException {
      return produce(rate, seconds, sessions, 1, deadline);
    }

    /** The same from {@code producers} threads (the product's bench build only), each with its share. */
    long[] produce(int rate, double seconds, int sessions, int producers, long deadline) throws InterruptedException {
      String command = "produce " + rate + " " + seconds + " " + sessions + (producers > 1 ? " " + producers : "");
      String[] p = ask(command, deadline).split(" ");
      return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])};
    }

    long mem() throws InterruptedException {
      return Long.parseLong(ask("mem", deadline(60)).split(" ")[1]);
    }

    String ask(String command, long deadline) throws InterruptedException {
      socket.sendText(command, true).join();
      String reply = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (reply == null) {
        throw new IllegalStateException("no answer to " + command.split(" ")[0]);
      }
      return reply;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        replies.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.abort();
    }
  }

  /** A minimal HTTP/1.1 keep-alive client: cheap enough that it is not what limits ingest. */
  static final class Http implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final int port;

    Http(int port) throws IOException {
      this.port = port;
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    static String request(int port, String method, String path, String key, String body) throws IOException {
      try (Http http = new Http(port)) {
        http.send(method, path, key, body);
        return http.readBody();
      }
    }

    int post(String path, String key, String body) throws IOException {
      send("POST", path, key, body);
      return readStatusAndSkipBody();
    }

    private int status;

    private void send(String method, String path, String key, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[headBytes.length + bytes.length]; // one write, one segment
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(bytes, 0, request, headBytes.length, bytes.length);
      out.write(request);
      out.flush();
    }

    private int readStatusAndSkipBody() throws IOException {
      int length = readHead();
      if (chunked) {
        int size;
        while ((size = Integer.parseInt(readLine().trim(), 16)) > 0) {
          in.skipNBytes(size);
          readLine();
        }
        readLine();
      } else {
        in.skipNBytes(length);
      }
      return status;
    }

    private boolean chunked;

    private String readBody() throws IOException {
      int length = readHead();
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private int readHead() throws IOException {
      int length = 0;
      chunked = false;
      String line;
      boolean first = true;
      while (!(line = readLine()).isEmpty()) {
        if (first) {
          status = Integer.parseInt(line.substring(9, 12));
          first = false;
        } else if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        } else if (line.regionMatches(true, 0, "Transfer-Encoding: chunked", 0, 26)) {
          chunked = true;
        }
      }
      return length;
    }

    private String readLine() throws IOException {
      StringBuilder s = new StringBuilder(64);
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          s.append((char) c);
        }
      }
      if (c == -1 && s.length() == 0) {
        throw new IOException("connection closed");
      }
      return s.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private LoadGen() {}
}
